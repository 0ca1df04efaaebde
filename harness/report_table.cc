// The terminal table: fits a 100-column terminal, truncating long names.
#include <algorithm>
#include <sstream>

#include "report.h"

namespace ipsecsim::harness {
namespace {

// Terminal columns taken by UTF-8 text: one per code point (no wide glyphs here).
size_t DisplayWidth(const std::string& s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string Truncate(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width) return s;
  std::string out;
  size_t columns = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    bool starts = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts && ++columns > width - 1) break;
    out += s[i];
  }
  return out + "\xE2\x80\xA6";  // "…"
}

struct Column {
  std::string title;
  size_t maxWidth;
  bool rightAligned;
};

const Column kColumns[] = {
    {"FLOW", 18, false},      {"FROM \xE2\x86\x92 TO", 24, false},
    {"PROTO", 5, false},      {"VERDICT", 9, false},
    {"SENT/DELIV", 15, true}, {"PROTECTED", 9, true},
    {"CLEAR", 7, true},
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

std::string Pad(const std::string& text, size_t width, bool right) {
  std::string cell = Truncate(text, width);
  std::string fill(width - DisplayWidth(cell), ' ');
  return right ? fill + cell : cell + fill;
}

void WriteRows(std::ostringstream& out, const std::vector<Row>& rows) {
  size_t widths[kColumnCount];
  for (size_t c = 0; c < kColumnCount; ++c) {
    widths[c] = DisplayWidth(kColumns[c].title);
    for (const Row& row : rows) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    widths[c] =
        std::min(widths[c], std::max(kColumns[c].maxWidth, DisplayWidth(kColumns[c].title)));
  }
  auto writeRow = [&](const Row& row) {
    std::string line;
    for (size_t c = 0; c < kColumnCount; ++c) {
      line += (c ? "  " : "") + Pad(row[c], widths[c], kColumns[c].rightAligned);
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
  out << "scenario " << Truncate(report.scenario, 40) << "  seed " << report.seed
      << "  OpenShift/OKD " << report.version << " " << report.platform
      << (report.ipFamily == "ipv6" ? "  IPv6 underlay" : "") << "\n";
  out << "IPsec " << report.ipsecMode << "  MTU host " << report.hostMtu << " cluster "
      << report.clusterMtu << "  crypto " << report.cryptoMode << "  simulated " << seconds.str()
      << "s\n";
  if (!report.mtuBudget.note.empty()) out << "MTU " << report.mtuBudget.note << "\n";
  out << "\n";
}

// One line per flow that crossed the underlay, e.g.
// "a-to-b  18400 B wire / 16000 B payload = 1.150, 20 pkts, 0 frags, 0 DF drops".
void WriteWireCost(std::ostringstream& out, const RunReport& report) {
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
    out << Pad(flow.name, 18, false) << "  " << w.bytes << " B wire / " << flow.bytesDelivered
        << " B payload = " << ratio.str() << ", " << w.packets << " pkts, " << w.fragments
        << " frags, " << w.dfDrops << " DF drops\n";
  }
  if (any) out << "\n";
}

constexpr size_t kMaxPreflightLines = 20;  // the rest is in report.json

// The ports-table preflight (the findings that affect IPsec first, at most
// kMaxPreflightLines) and what the underlay's middleboxes did.
void WriteUnderlay(std::ostringstream& out, const RunReport& report) {
  if (!report.preflight.empty()) out << "PREFLIGHT (ports table: UDP 500, UDP 4500, ESP)\n";
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

void WriteExpectations(std::ostringstream& out, const RunReport& report) {
  if (report.expectations.empty()) {
    out << "no expectations\n";
    return;
  }
  size_t flowWidth = 4;
  for (const ExpectationResult& e : report.expectations) {
    flowWidth = std::max(flowWidth, DisplayWidth(e.flow));
  }
  flowWidth = std::min<size_t>(flowWidth, 40);
  out << "EXPECTATIONS\n";
  for (const ExpectationResult& e : report.expectations) {
    out << (e.pass ? "PASS" : "FAIL") << "  " << Pad(e.flow, flowWidth, false) << "  expected "
        << e.expected << ", got " << e.actual;
    if (e.line > 0) out << "  (line " << e.line << ")";
    out << "\n";
  }
}

}  // namespace

std::string FormatTable(const RunReport& report) {
  std::ostringstream out;
  WriteHeader(out, report);
  std::vector<Row> rows;
  for (const FlowResult& flow : report.flows) rows.push_back(FlowRow(flow));
  WriteRows(out, rows);
  out << "\n";
  WriteWireCost(out, report);
  WriteUnderlay(out, report);
  if (report.lifecycle) out << FormatLifecycle(*report.lifecycle);
  WriteExpectations(out, report);
  out << "\n"
      << report.PassedExpectations() << " passed, " << report.FailedExpectations() << " failed\n";
  return out.str();
}

}  // namespace ipsecsim::harness
