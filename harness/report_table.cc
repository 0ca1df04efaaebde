// The terminal table: its columns follow the terminal's width, and only
// the names that do not fit are cut (report.json has them whole).
#include <algorithm>
#include <sstream>

#include "report.h"
#include "report_text.h"

namespace ipsecsim::harness {
namespace {

struct Column {
  std::string title;
  bool shrinks;
  bool rightAligned;
};

constexpr size_t kGap = 2;             // spaces between columns
constexpr size_t kMinShrunkWidth = 6;  // a cut name still shows its start

// FLOW and FROM → TO give way when the terminal is narrow; the others are
// short and keep their width.
const Column kColumns[] = {
    {"FLOW", true, false},     {"FROM \xE2\x86\x92 TO", true, false}, {"PROTO", false, false},
    {"VERDICT", false, false}, {"SENT/DELIV", false, true},           {"PROTECTED", false, true},
    {"CLEAR", false, true},
};
constexpr size_t kColumnCount = sizeof(kColumns) / sizeof(kColumns[0]);
using Row = std::vector<std::string>;

Row FlowRow(const FlowResult& flow) {
  return {flow.name,
          flow.from + " \xE2\x86\x92 " + flow.to,
          flow.protocol,
          flow.verdict,
          std::to_string(flow.sent) + "/" + std::to_string(flow.delivered),
          std::to_string(flow.protectedPackets),
          std::to_string(flow.clearPackets)};
}

// Each column as wide as its widest cell; when that is more than the
// terminal has, the shrinking columns share what the others leave (at
// least kMinShrunkWidth each, or their own width if smaller).
void ColumnWidths(const std::vector<Row>& rows, size_t columns, size_t* widths) {
  size_t fixed = kGap * (kColumnCount - 1), natural = 0;
  for (size_t c = 0; c < kColumnCount; ++c) {
    widths[c] = DisplayWidth(kColumns[c].title);
    for (const Row& row : rows) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    (kColumns[c].shrinks ? natural : fixed) += widths[c];
  }
  const size_t room = columns > fixed ? columns - fixed : 0;
  if (natural <= room) return;
  for (size_t c = 0; c < kColumnCount; ++c) {
    if (!kColumns[c].shrinks) continue;
    // Its share of the room, in proportion to its natural width.
    const size_t share = natural > 0 ? room * widths[c] / natural : 0;
    widths[c] = std::min(widths[c], std::max(share, kMinShrunkWidth));
  }
}

void WriteRows(std::ostringstream& out, const std::vector<Row>& rows, size_t columns) {
  size_t widths[kColumnCount];
  ColumnWidths(rows, columns, widths);
  auto writeRow = [&](const Row& row) {
    std::string line;
    for (size_t c = 0; c < kColumnCount; ++c) {
      line += (c ? std::string(kGap, ' ') : "") + Pad(row[c], widths[c], kColumns[c].rightAligned);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  };
  Row titles;
  for (const Column& column : kColumns) titles.push_back(column.title);
  writeRow(titles);
  for (const Row& row : rows) writeRow(row);
}

void WriteHeader(std::ostringstream& out, const RunReport& report) {
  std::ostringstream seconds;
  seconds.imbue(std::locale::classic());
  seconds << report.simulatedSeconds;
  out << "scenario " << report.scenario << "  seed " << report.seed << "  OpenShift/OKD "
      << report.version << " " << report.platform
      << (report.ipFamily == "ipv6" ? "  IPv6 underlay" : "") << "\n";
  out << "IPsec " << report.ipsecMode << "  MTU host " << report.hostMtu << " cluster "
      << report.clusterMtu << "  crypto " << report.cryptoMode << "  simulated " << seconds.str()
      << "s\n";
  if (!report.install.version.empty() &&
      (report.install.ipsecMode != report.ipsecMode || report.install.version != report.version)) {
    out << "installed as OpenShift/OKD " << report.install.version << ", IPsec "
        << report.install.ipsecMode << "; the lines above and below describe the end\n";
  }
  if (!report.mtuBudget.note.empty()) out << "MTU " << report.mtuBudget.note << "\n";
  out << "\n";
}

// One line per flow that crossed the underlay, e.g.
// "a-to-b  18400 B wire / 16000 B payload = 1.150, 20 pkts, 0 frags, 0 DF drops".
void WriteWireCost(std::ostringstream& out, const RunReport& report, size_t columns) {
  size_t nameWidth = 0;
  for (const FlowResult& flow : report.flows)
    nameWidth = std::max(nameWidth, DisplayWidth(flow.name));
  nameWidth = std::min(nameWidth, std::max(kMinShrunkWidth, columns / 3));
  bool any = false;
  for (const FlowResult& flow : report.flows) {
    const WireAccounting& w = flow.wire;
    if (w.packets == 0 && w.dfDrops == 0) continue;
    if (!any) out << "WIRE (counted where packets enter the underlay)\n";
    any = true;
    std::ostringstream ratio;
    ratio.imbue(std::locale::classic());
    ratio.setf(std::ios::fixed);
    ratio.precision(3);
    ratio << w.BytesPerPayloadByte(flow.bytesDelivered);
    out << Pad(flow.name, nameWidth, false) << "  " << w.bytes << " B wire / "
        << flow.bytesDelivered << " B payload = " << ratio.str() << ", " << w.packets << " pkts, "
        << w.fragments << " frags, " << w.dfDrops << " DF drops\n";
    for (const MtuPhase& p : flow.mtuPhases) {
      out << Pad("", nameWidth, false) << "    " << p.phase << " [" << Seconds(p.from) << ", "
          << Seconds(p.until) << "): " << p.datagrams << " datagrams, " << p.fragments << " frags, "
          << p.dfDrops << " DF drops\n";
    }
  }
  if (any) out << "\n";
}

constexpr size_t kMaxPreflightLines = 20;  // the rest is in report.json

// The ports-table preflight (the findings that affect IPsec first, at most
// kMaxPreflightLines) and what the underlay's middleboxes did.
void WriteUnderlay(std::ostringstream& out, const RunReport& report) {
  const bool documented =
      std::any_of(report.preflight.begin(), report.preflight.end(),
                  [](const PreflightFinding& f) { return f.status == "warning"; });
  if (!report.preflight.empty())
    out << "PREFLIGHT (ports table: UDP 500, UDP 4500, ESP"
        << (documented ? "; the documentation's restrictions" : "") << ")\n";
  std::vector<const PreflightFinding*> shown;
  for (bool affects : {true, false}) {
    for (const PreflightFinding& f : report.preflight) {
      if (f.affectsIpsec == affects && shown.size() < kMaxPreflightLines) shown.push_back(&f);
    }
  }
  for (const PreflightFinding* f : shown) {
    out << f->id << "  " << f->text;
    for (size_t i = 0; i < f->flows.size(); ++i) out << (i ? ", " : "  [flows: ") << f->flows[i];
    out << (f->flows.empty() ? "" : "]") << "\n";
  }
  if (shown.size() < report.preflight.size()) {
    out << "... and " << report.preflight.size() - shown.size()
        << " more findings in report.json (preflight)\n";
  }
  if (!report.underlayFilters.empty())
    out << (report.preflight.empty() ? "" : "\n") << "UNDERLAY\n";
  for (const std::string& line : report.underlayFilters) out << line << "\n";
  if (!report.preflight.empty() || !report.underlayFilters.empty()) out << "\n";
}

// What `ipsecsim check` found in the pools' external-endpoint files: errors
// first, with the flows they bear on; at most kMaxPreflightLines.
void WriteExternalFindings(std::ostringstream& out, const RunReport& report) {
  if (report.externalFindings.empty()) return;
  out << "EXTERNAL ENDPOINT FILES (ipsecsim check on each pool's MachineConfig)\n";
  size_t shown = 0;
  for (bool explains : {true, false}) {
    for (const ExternalFinding& f : report.externalFindings) {
      if (f.level == "warning" ? explains : !explains) continue;
      if (shown++ >= kMaxPreflightLines) continue;
      out << f.pool << "  " << f.text;
      for (size_t i = 0; i < f.flows.size(); ++i) out << (i ? ", " : "  [flows: ") << f.flows[i];
      out << (f.flows.empty() ? "" : "]") << "\n";
    }
  }
  if (shown > kMaxPreflightLines)
    out << "... and " << shown - kMaxPreflightLines << " more in report.json (external_findings)\n";
  out << "\n";
}

// A value as the scenario would write it: "" rather than nothing.
std::string Shown(const std::string& value) { return value.empty() ? "\"\"" : value; }

void WriteExpectations(std::ostringstream& out, const RunReport& report, size_t columns) {
  if (report.expectations.empty()) return;
  size_t flowWidth = 4;
  for (const ExpectationResult& e : report.expectations) {
    flowWidth = std::max(flowWidth, DisplayWidth(e.flow));
  }
  flowWidth = std::min(flowWidth, std::max(kMinShrunkWidth, columns / 2));
  out << "EXPECTATIONS\n";
  for (const ExpectationResult& e : report.expectations) {
    out << (e.pass ? "PASS" : "FAIL") << "  " << Pad(e.flow, flowWidth, false) << "  expected "
        << Shown(e.expected) << ", got " << Shown(e.actual);
    if (e.line > 0) out << "  (line " << e.line << ")";
    out << "\n";
  }
}

}  // namespace

std::string FormatTable(const RunReport& report, const TableOptions& options) {
  std::ostringstream out;
  WriteHeader(out, report);
  if (!report.flows.empty()) {  // a lifecycle-only scenario has none
    std::vector<Row> rows;
    for (const FlowResult& flow : report.flows) rows.push_back(FlowRow(flow));
    WriteRows(out, rows, options.columns);
    out << "\n";
  }
  WriteWireCost(out, report, options.columns);
  WriteUnderlay(out, report);
  WriteExternalFindings(out, report);
  if (report.lifecycle)
    out << FormatLifecycle(*report.lifecycle,
                           options.verbose ? LifecycleDetail::kFull : LifecycleDetail::kSummary)
        << "\n";
  if (options.sas) out << FormatSas(report, report.simulatedSeconds) << "\n";
  WriteExpectations(out, report, options.columns);
  if (report.expectations.empty()) {
    out << "no expectations: this scenario checks nothing (ipsecsim run --strict fails it)\n";
  } else {
    out << "\n"
        << report.PassedExpectations() << " passed, " << report.FailedExpectations() << " failed\n";
  }
  return out.str();
}

}  // namespace ipsecsim::harness
