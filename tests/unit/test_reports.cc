// Reporters: report.json round-trips, junit.xml parses and counts right, the
// table fits a terminal, and the same report always gives the same bytes.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "report.h"
#include "run_command.h"

using namespace ipsecsim::harness;
using ipsecsim::test::MakeTempDir;
using ipsecsim::test::RunCommand;

namespace {

FlowResult Flow(const std::string& name, const std::string& from, const std::string& to,
                const std::string& verdict) {
  FlowResult flow;
  flow.name = name;
  flow.from = from;
  flow.to = to;
  flow.protocol = "udp";
  flow.verdict = verdict;
  flow.sent = 50;
  flow.delivered = 50;
  flow.bytesSent = 40000;
  flow.bytesDelivered = 40000;
  return flow;
}

RunReport SampleReport() {
  RunReport report;
  report.scenario = "flow-matrix";
  report.scenarioFile = "scenarios/flow-matrix.yaml";
  report.seed = 7;
  report.version = "4.15";
  report.platform = "baremetal";
  report.ipsecMode = "Full";
  report.hostMtu = 1500;
  report.clusterMtu = 1354;
  report.simulatedSeconds = 2.5;
  report.underlayPackets = {{"esp", 100}, {"clear", 50}, {"ike", 8}};

  FlowResult ab = Flow("a-to-b", "a", "b", "encrypted");
  ab.protectedPackets = 100;
  ab.evidence = {{"worker-0/eth0", {{"esp", 50}}}, {"worker-1/eth0", {{"esp", 50}}}};
  ab.explanation = "every underlay packet was ESP";
  FlowResult hb = Flow("h-to-b", "h", "b", "plaintext");
  hb.clearPackets = 50;
  hb.evidence = {{"worker-0/eth0", {{"clear", 50}}}};
  hb.explanation = "marker <seen> in clear & \"unprotected\" on worker-0/eth0";
  FlowResult local = Flow("a-to-c", "a", "c", "local");
  report.flows = {ab, hb, local};

  report.expectations = {{"a-to-b", "encrypted", "encrypted", true, 20},
                         {"h-to-b", "encrypted", "plaintext", false, 21},
                         {"a-to-c", "local", "local", true, 22}};
  NodeCounters node;
  node.node = "worker-0";
  node.xfrmStat = {{"XfrmInNoStates", 2}};
  node.saCount = 4;
  node.policyCount = 6;
  report.nodes = {node};
  return report;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// True when every key of `required` appears in `keys`, in the same order;
// keys added later by other reporters' fields do not break it.
bool InOrder(const std::vector<std::string>& keys, const std::vector<std::string>& required) {
  size_t next = 0;
  for (const std::string& key : keys) {
    if (next < required.size() && key == required[next]) ++next;
  }
  return next == required.size();
}

size_t Columns(const std::string& line) {
  size_t n = 0;
  for (unsigned char c : line) n += (c & 0xC0) != 0x80;
  return n;
}

// Runs Python's ElementTree on a junit file; prints "tests failures cases failed-cases".
std::string JunitCounts(const std::string& path) {
  std::string script =
      "import sys, xml.etree.ElementTree as E\n"
      "r = E.parse(sys.argv[1]).getroot()\n"
      "s = r.find('testsuite')\n"
      "cases = s.findall('testcase')\n"
      "print(r.tag, s.get('tests'), s.get('failures'), len(cases),"
      " sum(1 for c in cases if c.find('failure') is not None))\n";
  std::string dir = MakeTempDir("junit-check");
  std::ofstream(dir + "/check.py") << script;
  auto result = RunCommand("/usr/bin/python3 " + dir + "/check.py " + path + " 2>&1");
  BOOST_TEST(result.exitCode == 0, result.output);
  return result.output;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reports)

BOOST_AUTO_TEST_CASE(expectations_pass_only_without_failures) {
  RunReport report = SampleReport();
  BOOST_TEST(!report.AllExpectationsPass());
  BOOST_TEST(report.PassedExpectations() == 2);
  BOOST_TEST(report.FailedExpectations() == 1);
  report.expectations[1].pass = true;
  BOOST_TEST(report.AllExpectationsPass());
  report.expectations.clear();
  BOOST_TEST(report.AllExpectationsPass());
  BOOST_TEST(report.FindFlow("h-to-b")->verdict == "plaintext");
  BOOST_TEST(report.FindFlow("nope") == nullptr);
}

BOOST_AUTO_TEST_CASE(json_round_trips_with_every_field) {
  std::string path = MakeTempDir("json") + "/deep/er/report.json";
  WriteJsonReport(SampleReport(), path);
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(ReadFile(path));

  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  std::vector<std::string> expectedKeys = {
      "report_version", "scenario",    "scenario_file",     "seed",
      "version",        "platform",    "ipsec_mode",        "host_mtu",
      "cluster_mtu",    "crypto_mode", "simulated_seconds", "all_expectations_pass",
      "passed",         "failed",      "underlay_packets",  "flows",
      "expectations",   "nodes"};
  BOOST_TEST(InOrder(keys, expectedKeys));
  BOOST_TEST(json["scenario"] == "flow-matrix");
  BOOST_TEST(json["seed"] == 7);
  BOOST_TEST(json["cluster_mtu"] == 1354);
  BOOST_TEST(json["crypto_mode"] == "real");
  BOOST_TEST(json["simulated_seconds"] == 2.5);
  BOOST_TEST(json["all_expectations_pass"] == false);
  BOOST_TEST(json["failed"] == 1);
  BOOST_TEST(json["underlay_packets"]["ike"] == 8);

  const auto& flow = json["flows"][0];
  std::vector<std::string> flowKeys;
  for (const auto& item : flow.items()) flowKeys.push_back(item.key());
  std::vector<std::string> expectedFlowKeys = {"name",      "from",       "to",
                                               "protocol",  "verdict",    "sent",
                                               "delivered", "bytes_sent", "bytes_delivered",
                                               "evidence",  "explanation"};
  BOOST_TEST(InOrder(flowKeys, expectedFlowKeys));
  BOOST_TEST(flow["evidence"]["protected_packets"] == 100);
  BOOST_TEST(flow["evidence"]["clear_packets"] == 0);
  BOOST_TEST(flow["evidence"]["links"][1]["link"] == "worker-1/eth0");
  BOOST_TEST(flow["evidence"]["links"][1]["packets"]["esp"] == 50);
  BOOST_TEST(json["flows"][1]["explanation"] == SampleReport().flows[1].explanation);

  const auto& failed = json["expectations"][1];
  BOOST_TEST(failed["flow"] == "h-to-b");
  BOOST_TEST(failed["expected"] == "encrypted");
  BOOST_TEST(failed["actual"] == "plaintext");
  BOOST_TEST(failed["pass"] == false);
  BOOST_TEST(failed["line"] == 21);
  BOOST_TEST(json["nodes"][0]["xfrm_stat"]["XfrmInNoStates"] == 2);
  BOOST_TEST(json["nodes"][0]["sa_count"] == 4);
}

BOOST_AUTO_TEST_CASE(json_survives_names_that_are_not_utf8) {
  RunReport report = SampleReport();
  report.flows[0].explanation = "bad byte \xFF here";
  std::string text;
  BOOST_CHECK_NO_THROW(text = FormatJsonReport(report));
  BOOST_TEST(nlohmann::json::accept(text));
}

BOOST_AUTO_TEST_CASE(junit_parses_and_counts_failures) {
  RunReport report = SampleReport();
  report.flows[1].explanation += " \x01 control and \xC3 broken UTF-8";
  std::string path = MakeTempDir("junit") + "/out/junit.xml";
  WriteJunitReport(report, path);
  BOOST_TEST(JunitCounts(path) == "testsuites 3 1 3 1\n");

  std::string xml = ReadFile(path);
  BOOST_TEST(xml.find("classname=\"flow-matrix\" name=\"h-to-b: expect encrypted\"") !=
             std::string::npos);
  BOOST_TEST(xml.find("message=\"expected encrypted, got plaintext\"") != std::string::npos);
  BOOST_TEST(xml.find("marker &lt;seen&gt; in clear &amp; &quot;unprotected&quot;") !=
             std::string::npos);
  BOOST_TEST(xml.find("worker-0/eth0: clear=50") != std::string::npos);

  // A finding the failing flow refers to is spelled out in the failure.
  PreflightFinding finding;
  finding.id = "P1";
  finding.text = "ESP (IP protocol 50) blocked worker-0 -> worker-1 by firewall sg-1";
  report.preflight.push_back(finding);
  report.flows[1].preflight = {"P1"};
  WriteJunitReport(report, path);
  BOOST_TEST(ReadFile(path).find("preflight P1: ESP (IP protocol 50) blocked worker-0 -&gt; "
                                 "worker-1 by firewall sg-1") != std::string::npos);

  report.expectations[1].pass = true;
  WriteJunitReport(report, path);
  BOOST_TEST(JunitCounts(path) == "testsuites 3 0 3 0\n");
}

BOOST_AUTO_TEST_CASE(same_report_gives_identical_files) {
  std::string dir = MakeTempDir("identical");
  WriteJsonReport(SampleReport(), dir + "/1/report.json");
  WriteJsonReport(SampleReport(), dir + "/2/report.json");
  WriteJunitReport(SampleReport(), dir + "/1/junit.xml");
  WriteJunitReport(SampleReport(), dir + "/2/junit.xml");
  BOOST_TEST(ReadFile(dir + "/1/report.json") == ReadFile(dir + "/2/report.json"));
  BOOST_TEST(ReadFile(dir + "/1/junit.xml") == ReadFile(dir + "/2/junit.xml"));
  BOOST_TEST(FormatTable(SampleReport()) == FormatTable(SampleReport()));
  BOOST_TEST(!ReadFile(dir + "/1/report.json").empty());
  BOOST_TEST(!std::filesystem::exists(dir + "/1/report.json.tmp"));
}

BOOST_AUTO_TEST_CASE(table_lists_flows_expectations_and_summary) {
  std::string table = FormatTable(SampleReport());
  BOOST_TEST(table.find("a \xE2\x86\x92 b") != std::string::npos);
  BOOST_TEST(table.find("50/50") != std::string::npos);
  BOOST_TEST(table.find("PASS  a-to-b") != std::string::npos);
  BOOST_TEST(table.find("FAIL  h-to-b  expected encrypted, got plaintext") != std::string::npos);
  BOOST_TEST(table.find("2 passed, 1 failed\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(table_columns_align_and_fit_100_columns) {
  RunReport report = SampleReport();
  report.flows[2].name = std::string(60, 'f');
  report.flows[2].from = std::string(40, 'p');
  report.flows[2].sent = 123456789;
  std::istringstream lines(FormatTable(report));
  std::string line;
  size_t verdictColumn = std::string::npos;
  int rows = 0;
  while (std::getline(lines, line)) {
    BOOST_TEST(Columns(line) <= 100u, line);
    size_t header = line.find("VERDICT");
    if (header != std::string::npos) verdictColumn = Columns(line.substr(0, header));
    for (const char* verdict : {"encrypted", "plaintext", "local"}) {
      size_t at = line.find(std::string("  ") + verdict + "  ");
      if (verdictColumn != std::string::npos && at != std::string::npos && rows < 3) {
        BOOST_TEST(Columns(line.substr(0, at + 2)) == verdictColumn, line);
        ++rows;
      }
    }
  }
  BOOST_TEST(rows == 3);
  BOOST_TEST(FormatTable(report).find("\xE2\x80\xA6") != std::string::npos);  // truncated name
}

BOOST_AUTO_TEST_CASE(table_columns_follow_the_terminal_width) {
  RunReport report = SampleReport();
  report.flows[2].name = "pod-to-pod-cross-node-pool-worker-to-master-udp";
  report.flows[2].from = std::string(40, 'p');
  // Wide: every name whole.
  TableOptions wide;
  wide.columns = 200;
  const std::string table = FormatTable(report, wide);
  BOOST_TEST(table.find(report.flows[2].name + "  ") != std::string::npos, table);
  BOOST_TEST(table.find("\xE2\x80\xA6") == std::string::npos, table);
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) BOOST_TEST(Columns(line) <= 200u, line);
  // Every width, down to none at all: names are cut, nothing breaks, and
  // the table's rows never grow wider than the widest fixed columns need.
  for (size_t columns : {0, 1, 2, 5, 20, 40, 60, 80}) {
    TableOptions narrow;
    narrow.columns = columns;
    const std::string cut = FormatTable(report, narrow);
    BOOST_TEST(cut.find("FAIL  h-to-b") != std::string::npos, columns);
    std::istringstream rows(cut);
    for (std::string line; std::getline(rows, line);) {
      if (line.find("udp") != std::string::npos && line.find("/50") != std::string::npos)
        BOOST_TEST(Columns(line) <= std::max<size_t>(columns, 70), columns << ": " << line);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_lifecycle_only_report_prints_no_empty_sections) {
  RunReport report;
  report.scenario = "life";
  report.version = report.install.version = "4.15";
  report.lifecycle = LifecycleReport{};
  report.lifecycle->installedVersion = report.lifecycle->finalVersion = "4.15";
  for (int i = 0; i < 15; ++i) {
    PairTimeline p;
    p.a = "worker-" + std::to_string(i);
    p.b = "master-0";
    p.intervals = {{0, 800 + double(i), "up"}, {812 + double(i), 900, "clear"}};
    p.causeKind = "ipsec-off";
    p.cause = {"step: IPsec disabled"};
    report.lifecycle->pairs.push_back(p);
  }
  ExpectationResult e;
  e.flow = "metric daemonsets";
  e.pass = true;
  report.expectations.push_back(e);
  const std::string table = FormatTable(report);
  BOOST_TEST(table.find("FLOW") == std::string::npos, table);
  BOOST_TEST(table.find("WIRE") == std::string::npos, table);
  BOOST_TEST(table.find("PASS  metric daemonsets  expected \"\", got \"\"") != std::string::npos,
             table);
  // The 15 pairs in clear: one line in the terminal, each pair with --verbose.
  BOOST_TEST(table.find("  15 pairs clear since 812.0 s to 826.0 s, cause ipsec-off\n") !=
                 std::string::npos,
             table);
  BOOST_TEST(table.find("  pair worker-") == std::string::npos, table);
  TableOptions verbose;
  verbose.verbose = true;
  const std::string full = FormatTable(report, verbose);
  size_t pairs = 0;
  for (size_t at = full.find("  pair worker-"); at != std::string::npos;
       at = full.find("  pair worker-", at + 1))
    ++pairs;
  BOOST_TEST(pairs == 15u, full);
}

BOOST_AUTO_TEST_CASE(writing_under_a_file_fails_with_the_path) {
  std::string dir = MakeTempDir("blocked");
  std::ofstream(dir + "/file") << "x";
  BOOST_CHECK_THROW(WriteJsonReport(SampleReport(), dir + "/file/report.json"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
