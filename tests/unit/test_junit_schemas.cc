// junit.xml as CI servers read it: valid against the Jenkins xunit plugin's
// schema and the Ant JUnit schema (tests/data/junit), with time, timestamp
// and hostname, the file and line in a form both accept, and every failure
// holding what the run measured.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "run_command.h"

using namespace ipsecsim;

namespace {

const char* kSchemas[] = {"tests/data/junit/jenkins-xunit-junit-10.xsd",
                          "tests/data/junit/ant-junit.xsd"};

const char* kFlows = R"(name: junit-flows
cluster:
  pools: [{name: worker, nodes: 2}]
  ipsec: {mode: Full}
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
flows:
  - {name: a-to-b, from: a, to: b, protocol: udp, port: 8080, packets: 3, size: 100}
  - {name: b-to-a, from: b, to: a, protocol: udp, port: 8081, packets: 3, size: 100}
expect:
  - {flow: a-to-b, verdict: encrypted}
  - {flow: b-to-a, verdict: plaintext}
)";

// IPsec off at install and never enabled: one pair, in clear.
const char* kLifecycle = R"(name: junit-lifecycle
duration: 20s
cluster:
  version: "4.15"
  pools: [{name: worker, nodes: 2}]
lifecycle:
  settle: 5s
  procedure: {start: 5s, steps: []}
expect:
  - {metric: clear_pairs, equals: 1}
  - {metric: pairs_up, equals: 1}
)";

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// Runs the scenario; returns the path of its junit.xml.
std::string Junit(const std::string& name, const std::string& yaml) {
  const std::string dir = test::MakeTempDir("junit-" + name);
  std::ofstream(dir + "/" + name + ".yaml") << yaml;
  auto run = test::RunCommand(test::IpsecsimBinary() + " run " + dir + "/" + name + ".yaml --out " +
                              dir + " > /dev/null 2>&1");
  BOOST_TEST(run.exitCode == 1);  // each has one failing expectation
  return dir + "/" + name + "/junit.xml";
}

void ValidatesAgainstBoth(const std::string& junit) {
  for (const char* schema : kSchemas) {
    auto lint =
        test::RunCommand("xmllint --noout --schema " + std::string(schema) + " " + junit + " 2>&1");
    BOOST_TEST(lint.exitCode == 0, schema << ": " << lint.output << "\n" << Slurp(junit));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(junit_schemas)

// The schemas are strict enough to be worth it: the attributes other tools
// add to a testcase are refused by both.
BOOST_AUTO_TEST_CASE(both_schemas_refuse_file_and_line_on_a_testcase) {
  const std::string dir = test::MakeTempDir("junit-refused");
  std::ofstream(dir + "/bad.xml")
      << "<testsuites><testsuite package=\"p\" id=\"0\" name=\"s\" tests=\"1\" failures=\"0\" "
         "errors=\"0\" time=\"1\" timestamp=\"2026-01-01T00:00:00\" hostname=\"h\"><properties/>"
         "<testcase name=\"t\" classname=\"c\" time=\"0\" file=\"f.yaml\" line=\"3\"/>"
         "<system-out/><system-err/></testsuite></testsuites>\n";
  for (const char* schema : kSchemas) {
    auto lint = test::RunCommand("xmllint --noout --schema " + std::string(schema) + " " + dir +
                                 "/bad.xml 2>&1");
    BOOST_TEST(lint.exitCode != 0, schema);
    BOOST_TEST(lint.output.find("'file'") != std::string::npos, lint.output);
  }
}

BOOST_AUTO_TEST_CASE(flow_expectations_validate_and_carry_time_host_and_location) {
  const std::string junit = Junit("junit-flows", kFlows);
  ValidatesAgainstBoth(junit);
  const std::string xml = Slurp(junit);
  std::smatch m;
  BOOST_TEST(
      std::regex_search(
          xml, m,
          std::regex(R"re(time="(\d+\.\d{3})" timestamp="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)" )re"
                     R"re(hostname="([^"]+)")re")),
      xml);
  BOOST_TEST(std::stod(m[1]) > 0.0);
  // Line 13 of the file is the failing expectation, line 12 the passing one.
  BOOST_TEST(xml.find("<property name=\"location: b-to-a: expect plaintext\" value=\"") !=
             std::string::npos);
  BOOST_TEST(std::regex_search(xml, std::regex(R"re(value="[^"]*junit-flows.yaml:12"/>)re")));
  BOOST_TEST(std::regex_search(xml, std::regex(R"(>[^<>]*junit-flows.yaml:13: expected )"
                                               R"(plaintext, got encrypted\n)")),
             xml);
  // The failure's body is the flow's wire evidence.
  BOOST_TEST(xml.find("underlay packets: 6 protected, 0 with the flow marker in clear") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(lifecycle_failures_hold_the_measured_state) {
  const std::string junit = Junit("junit-lifecycle", kLifecycle);
  ValidatesAgainstBoth(junit);
  const std::string xml = Slurp(junit);
  const size_t failure = xml.find("<failure");
  BOOST_REQUIRE(failure != std::string::npos);
  const std::string body = xml.substr(failure, xml.find("</failure>") - failure);
  BOOST_TEST(body.find("no result for") == std::string::npos, body);
  BOOST_TEST(body.find("metric pairs_up: measured 0") != std::string::npos, body);
  BOOST_TEST(body.find("PAIRS 0/1 up at the end, 0 black-holed, 1 in clear") != std::string::npos,
             body);
  // The pair itself, with its state and cause (the full list, not a summary).
  BOOST_TEST(body.find("pair worker-0 &lt;-&gt; worker-1: clear since") != std::string::npos, body);
}

// A scenario that checks nothing still writes a file both schemas take.
BOOST_AUTO_TEST_CASE(a_scenario_without_expectations_validates_too) {
  std::string yaml = kFlows;
  yaml.erase(yaml.find("expect:"));
  const std::string dir = test::MakeTempDir("junit-empty");
  std::ofstream(dir + "/empty.yaml") << yaml;
  auto run = test::RunCommand(test::IpsecsimBinary() + " run " + dir + "/empty.yaml --out " + dir +
                              " > /dev/null 2>&1");
  BOOST_TEST(run.exitCode == 0);
  ValidatesAgainstBoth(dir + "/junit-flows/junit.xml");
  BOOST_TEST(Slurp(dir + "/junit-flows/junit.xml").find("tests=\"0\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
