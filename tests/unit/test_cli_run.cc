// `ipsecsim run` as CI runs it: exit 0 when expectations hold, 1 when one
// fails (and junit.xml says which), 2 with file, line and key on bad input.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "run_command.h"

using namespace ipsecsim;

namespace {

const char* kGood = R"(name: cli-test
cluster:
  pools: [{name: worker, nodes: 2}]
  ipsec: {mode: Full}
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
flows:
  - {name: a-to-b, from: a, to: b, protocol: udp, port: 8080, packets: 5, size: 100}
expect:
  - {flow: a-to-b, verdict: EXPECTED}
)";

struct Outcome {
  int exitCode;
  std::string output;
  std::string dir;
};

Outcome RunYaml(std::string yaml) {
  const std::string dir = test::MakeTempDir("cli-run");
  std::ofstream(dir + "/s.yaml") << yaml;
  auto r = test::RunCommand(test::IpsecsimBinary() + " run " + dir + "/s.yaml --out " + dir +
                            "/out 2>&1");
  return {r.exitCode, r.output, dir};
}

std::string With(const std::string& from, const std::string& to) {
  std::string s = kGood;
  s.replace(s.find(from), from.size(), to);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_run)

BOOST_AUTO_TEST_CASE(expectations_met_exit_0_and_reports_are_written) {
  auto o = RunYaml(With("EXPECTED", "encrypted"));
  BOOST_TEST(o.exitCode == 0, o.output);
  std::ifstream junit(o.dir + "/out/cli-test/junit.xml");
  std::string xml((std::istreambuf_iterator<char>(junit)), {});
  BOOST_TEST(xml.find("<testcase") != std::string::npos);
  BOOST_TEST(xml.find("<failure") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failed_expectation_exits_1_and_junit_shows_it) {
  auto o = RunYaml(With("EXPECTED", "plaintext"));
  BOOST_TEST(o.exitCode == 1);
  BOOST_TEST(o.output.find("FAIL") != std::string::npos);
  std::ifstream junit(o.dir + "/out/cli-test/junit.xml");
  std::string xml((std::istreambuf_iterator<char>(junit)), {});
  BOOST_TEST(xml.find("<failure") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(certs_flag_writes_certificates_openssl_accepts) {
  const std::string dir = test::MakeTempDir("cli-certs");
  std::ofstream(dir + "/s.yaml") << With("EXPECTED", "encrypted");
  auto r = test::RunCommand(test::IpsecsimBinary() + " run " + dir + "/s.yaml --out " + dir +
                            "/out --certs 2>&1");
  BOOST_REQUIRE_EQUAL(r.exitCode, 0);
  // One second after install (2026-01-01T00:00:00Z), and once expired.
  for (const char* node : {"worker-0", "worker-1"}) {
    const std::string certs = dir + "/out/cli-test/certs/";
    auto ok = test::RunCommand("openssl verify -attime 1767225601 -CAfile " + certs + "ca.pem " +
                               certs + node + ".pem 2>&1");
    BOOST_TEST(ok.exitCode == 0, ok.output);
    auto expired = test::RunCommand("openssl verify -attime 1957000000 -CAfile " + certs +
                                    "ca.pem " + certs + node + ".pem 2>&1");
    BOOST_TEST(expired.exitCode != 0);
    BOOST_TEST(expired.output.find("expired") != std::string::npos, expired.output);
  }
}

std::string FileText(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every random variable of a run draws from a stream the run assigns, so a
// scenario simulated after another in the same process reports byte for
// byte what it reports alone (it used to draw other CSMA backoffs, which
// moved its cleartext windows by microseconds). Both orders, both scenarios.
BOOST_AUTO_TEST_CASE(a_scenario_reports_the_same_alone_and_after_another) {
  const std::vector<std::string> names = {"lifecycle-enable-after-install", "nat-natt"};
  const auto file = [](const std::string& name) { return "scenarios/" + name + ".yaml"; };
  std::map<std::string, std::string> alone;  // name -> --out directory
  for (const std::string& name : names) {
    alone[name] = test::MakeTempDir("cli-alone-" + name);
    auto run = test::RunCommand(test::IpsecsimBinary() + " run " + file(name) + " --out " +
                                alone[name] + " > /dev/null");
    BOOST_REQUIRE_EQUAL(run.exitCode, 0);
  }
  for (const bool reversed : {false, true}) {
    const std::string first = names[reversed ? 1 : 0], second = names[reversed ? 0 : 1];
    const std::string batch = test::MakeTempDir(reversed ? "cli-batch-ba" : "cli-batch-ab");
    auto run = test::RunCommand(test::IpsecsimBinary() + " run " + file(first) + " " +
                                file(second) + " --out " + batch + " > /dev/null");
    BOOST_REQUIRE_EQUAL(run.exitCode, 0);
    for (const std::string& name : names) {
      for (const char* report : {"report.json", "timeline.csv"}) {
        const std::string soloText = FileText(alone[name] + "/" + name + "/" + report);
        if (std::string(report) == "report.json") BOOST_TEST(!soloText.empty());
        BOOST_TEST((FileText(batch + "/" + name + "/" + report) == soloText),
                   first << " then " << second << ": " << name << "/" << report);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_scenarios_exit_2_naming_file_line_and_key) {
  struct Case {
    std::string yaml, expect;
  };
  const std::vector<Case> cases = {
      {With("  ipsec: {mode: Full}", "  ipsec: {mode: Full}\n  colour: blue"),
       ":5: cluster.colour"},
      {With("to: b,", "to: zz,"), ":9: flows[0].to"},
      {With("  - {name: b, node: worker-1}", "  - {name: a, node: worker-1}"), ":7: pods[1].name"},
      {With("  pools:", "  host_mtu: 1500\n  cluster_mtu: 1450\n  pools:"),
       ":4: cluster.cluster_mtu"},
      {With("EXPECTED", "secret"), ":11: expect[0].verdict"},
      {With("nodes: 2", "nodes: two"), ":3: cluster.pools[0].nodes"},
  };
  for (auto& c : cases) {
    auto o = RunYaml(c.yaml);
    BOOST_TEST_CONTEXT(c.expect << "\n" << o.output) {
      BOOST_TEST(o.exitCode == 2);
      BOOST_TEST(o.output.find("s.yaml" + c.expect) != std::string::npos);
    }
  }
  auto missing = test::RunCommand(test::IpsecsimBinary() + " run /nonexistent.yaml 2>&1");
  BOOST_TEST(missing.exitCode == 2);
  BOOST_TEST(missing.output.find("/nonexistent.yaml") != std::string::npos);
  // An output directory that cannot be made: said before anything runs.
  const std::string file = test::MakeTempDir("cli-out") + "-file";
  std::ofstream(file) << "not a directory";
  auto out = test::RunCommand(test::IpsecsimBinary() + " run scenarios/flow-matrix.yaml --out " +
                              file + " 2>&1");
  BOOST_TEST(out.exitCode == 2);
  BOOST_TEST(out.output.find("--out " + file + ": expected a directory") != std::string::npos,
             out.output);
}

BOOST_AUTO_TEST_SUITE_END()
