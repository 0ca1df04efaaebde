// junit.xml: one testsuite for the scenario, one testcase per expectation.
#include <sstream>

#include "build_info.h"
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

// Where the expectation is written, as compilers and CI tools print it.
std::string Location(const RunReport& report, const ExpectationResult& e) {
  std::string file = report.scenarioFile.empty() ? report.scenario : report.scenarioFile;
  return e.line > 0 ? file + ":" + std::to_string(e.line) : file;
}

std::string TestcaseName(const ExpectationResult& e) { return e.flow + ": expect " + e.expected; }

void WriteProperties(std::ostringstream& out, const RunReport& report) {
  std::ostringstream seconds;
  seconds.imbue(std::locale::classic());
  seconds << report.simulatedSeconds;
  const std::pair<const char*, std::string> properties[] = {
      {"ipsecsim_version", Build().version},
      {"ipsecsim_build",
       std::string("git ") + Build().git + ", " + Build().compiler + ", " + Build().buildType},
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
  for (const ExpectationResult& e : report.expectations) {
    out << "      <property" << Attr("name", "location: " + TestcaseName(e))
        << Attr("value", Location(report, e)) << "/>\n";
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

// What the run measured that bears on the expectation: a flow's wire
// evidence, or for a lifecycle check the measured value and, unless it was
// written already (lifecycleShown), the lifecycle's state. That state is the
// same for every lifecycle check and grows with the procedure, so it is
// written once: in the first failure that needs it and once among the
// passes, never per check (5000 wait_pools steps made a 14 GB junit.xml).
std::string Evidence(const RunReport& report, const ExpectationResult& e, bool& lifecycleShown) {
  if (const FlowResult* flow = report.FindFlow(e.flow))
    return DescribeEvidence(*flow) + PreflightText(report, *flow);
  std::string text = e.flow + ": measured " + (e.actual.empty() ? "nothing" : e.actual) + "\n";
  if (!report.lifecycle) return text;
  if (lifecycleShown) return text + "(the lifecycle's state is written with the first of these)\n";
  lifecycleShown = true;
  return text + FormatLifecycle(*report.lifecycle, LifecycleDetail::kFull);
}

std::string DecimalSeconds(double seconds) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out.setf(std::ios::fixed);
  out.precision(3);
  out << (seconds > 0 ? seconds : 0.0);
  return out.str();
}

// No file or line attribute: the Jenkins xunit and Ant schemas allow none on
// a testcase. Both are in the failure's first line and in the suite's
// properties ("location: <testcase name>").
void WriteTestcase(std::ostringstream& out, const RunReport& report, const ExpectationResult& e,
                   bool& lifecycleShown) {
  out << "    <testcase" << Attr("classname", report.scenario) << Attr("name", TestcaseName(e))
      << Attr("time", "0");
  if (e.pass) {
    out << "/>\n";
    return;
  }
  out << ">\n";
  const std::string text = Location(report, e) + ": expected " + e.expected + ", got " + e.actual +
                           "\n" + Evidence(report, e, lifecycleShown);
  out << "      <failure" << Attr("message", "expected " + e.expected + ", got " + e.actual)
      << Attr("type", "verdict") << ">" << XmlEscape(text, false) << "</failure>\n";
  out << "    </testcase>\n";
}

}  // namespace

// One <testsuite> inside a <testsuites> without attributes: the form both
// the Jenkins xunit schema and the Ant schema accept (tests/data/junit).
std::string FormatJunitReport(const RunReport& report) {
  const std::string tests = std::to_string(report.expectations.size());
  const std::string failures = std::to_string(report.FailedExpectations());
  const RunClock& clock = report.clock;
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites>\n";
  out << "  <testsuite" << Attr("name", report.scenario.empty() ? "ipsecsim" : report.scenario)
      << Attr("package", "ipsecsim") << Attr("id", "0") << Attr("tests", tests)
      << Attr("failures", failures) << Attr("errors", "0") << Attr("skipped", "0")
      << Attr("time", DecimalSeconds(clock.wallSeconds))
      << Attr("timestamp", clock.startedUtc.empty() ? "1970-01-01T00:00:00" : clock.startedUtc)
      << Attr("hostname", clock.hostname.empty() ? "localhost" : clock.hostname) << ">\n";
  WriteProperties(out, report);
  bool failureShown = false;
  for (const ExpectationResult& e : report.expectations)
    WriteTestcase(out, report, e, failureShown);
  // The passing expectations' evidence, which the Ant schema allows only here.
  std::string passed;
  // The documentation's lines the procedure crosses: warnings, not failures.
  for (const PreflightFinding& f : report.preflight)
    if (f.status == "warning") passed += "WARNING preflight " + f.id + ": " + f.text + "\n";
  bool passShown = false;
  for (const ExpectationResult& e : report.expectations)
    if (e.pass)
      passed += "PASS " + TestcaseName(e) + " (" + Location(report, e) + ")\n" +
                Evidence(report, e, passShown) + "\n";
  out << "    <system-out>" << XmlEscape(passed, false) << "</system-out>\n";
  out << "    <system-err></system-err>\n";
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

void WriteJunitReport(const RunReport& report, const std::string& path) {
  WriteReportFile(path, FormatJunitReport(report));
}

}  // namespace ipsecsim::harness
