// junit.xml: one testsuite for the scenario, one testcase per expectation.
#include <sstream>

#include "report.h"
#include "report_files.h"

namespace ipsecsim::harness {
namespace {

constexpr const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i] that XML 1.0 allows, or 0.
size_t XmlCharLength(const std::string& s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return (lead >= 0x20 || lead == '\t' || lead == '\n' || lead == '\r') ? 1 : 0;
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || i + length > s.size()) return 0;
  uint32_t code = lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
  bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  bool forbidden = code == 0xFFFE || code == 0xFFFF || code > 0x10FFFF;
  return overlong || surrogate || forbidden ? 0 : length;
}

// Escapes markup and replaces what XML 1.0 cannot carry (control characters,
// bytes that are not UTF-8) with U+FFFD. In attributes, line breaks and tabs
// become character references so that parsers keep them.
std::string XmlEscape(const std::string& s, bool attribute) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t length = XmlCharLength(s, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    char c = s[i];
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '\'') {
      out += "&apos;";
    } else if (attribute && (c == '\n' || c == '\r' || c == '\t')) {
      out += "&#" + std::to_string(static_cast<int>(c)) + ";";
    } else {
      out.append(s, i, length);
    }
    i += length;
  }
  return out;
}

std::string Attr(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + XmlEscape(value, true) + "\"";
}

void WriteProperties(std::ostringstream& out, const RunReport& report) {
  std::ostringstream seconds;
  seconds.imbue(std::locale::classic());
  seconds << report.simulatedSeconds;
  const std::pair<const char*, std::string> properties[] = {
      {"scenario_file", report.scenarioFile},
      {"seed", std::to_string(report.seed)},
      {"version", report.version},
      {"platform", report.platform},
      {"ipsec_mode", report.ipsecMode},
      {"host_mtu", std::to_string(report.hostMtu)},
      {"cluster_mtu", std::to_string(report.clusterMtu)},
      {"crypto_mode", report.cryptoMode},
      {"simulated_seconds", seconds.str()},
  };
  out << "    <properties>\n";
  for (const auto& [name, value] : properties) {
    out << "      <property" << Attr("name", name) << Attr("value", value) << "/>\n";
  }
  out << "    </properties>\n";
}

// The preflight findings a flow's explanation refers to ("see preflight P1"),
// in full, so that a failure in CI reads without report.json.
std::string PreflightText(const RunReport& report, const FlowResult& flow) {
  std::string text;
  for (const std::string& id : flow.preflight) {
    for (const PreflightFinding& f : report.preflight) {
      if (f.id == id) text += "preflight " + f.id + ": " + f.text + "\n";
    }
  }
  return text;
}

void WriteTestcase(std::ostringstream& out, const RunReport& report, const ExpectationResult& e) {
  out << "    <testcase" << Attr("classname", report.scenario)
      << Attr("name", e.flow + ": expect " + e.expected);
  if (!report.scenarioFile.empty()) out << Attr("file", report.scenarioFile);
  if (e.line > 0) out << Attr("line", std::to_string(e.line));
  out << ">\n";
  const FlowResult* flow = report.FindFlow(e.flow);
  std::string evidence = flow ? DescribeEvidence(*flow) + PreflightText(report, *flow)
                              : "no result for flow " + e.flow + "\n";
  if (!e.pass) {
    out << "      <failure" << Attr("message", "expected " + e.expected + ", got " + e.actual)
        << Attr("type", "verdict") << ">" << XmlEscape(evidence, false) << "</failure>\n";
  } else {
    out << "      <system-out>" << XmlEscape(evidence, false) << "</system-out>\n";
  }
  out << "    </testcase>\n";
}

}  // namespace

std::string FormatJunitReport(const RunReport& report) {
  std::string tests = std::to_string(report.expectations.size());
  std::string failures = std::to_string(report.FailedExpectations());
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites" << Attr("name", "ipsecsim") << Attr("tests", tests)
      << Attr("failures", failures) << Attr("errors", "0") << ">\n";
  out << "  <testsuite" << Attr("name", report.scenario) << Attr("tests", tests)
      << Attr("failures", failures) << Attr("errors", "0") << Attr("skipped", "0") << ">\n";
  WriteProperties(out, report);
  for (const ExpectationResult& e : report.expectations) WriteTestcase(out, report, e);
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

void WriteJunitReport(const RunReport& report, const std::string& path) {
  WriteReportFile(path, FormatJunitReport(report));
}

}  // namespace ipsecsim::harness
