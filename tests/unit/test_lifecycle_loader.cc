// Lifecycle scenarios: bad procedures are refused before the run, through
// the command line, with the file, line, key and the API server's words,
// and exit code 2.
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "run_command.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

std::string ScenarioText(const std::string& version, const std::string& ipsec,
                         const std::string& steps) {
  return "name: s\n"   // 1
         "cluster:\n"  // 2
         "  version: \"" +
         version +
         "\"\n"                                                   // 3
         "  pools: [{name: worker, nodes: 2}]\n"                  // 4
         + (ipsec.empty() ? "  platform: baremetal\n" : ipsec) +  // 5
         "lifecycle:\n"                                           // 6
         "  procedure:\n"                                         // 7
         "    steps:\n"                                           // 8
         + steps;                                                 // 9...
}

std::string ErrorOf(const std::string& text) {
  try {
    LoadScenarioText(text, "s.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_valid_procedure_loads) {
  const std::string text =
      ScenarioText("4.14", "  ipsec: {}\n",
                   "      - json_patch: '[{\"op\":\"remove\",\"path\":\"/spec/defaultNetwork/"
                   "ovnKubernetesConfig/ipsecConfig\"}]'\n"
                   "      - {delete_daemonsets: [ovn-ipsec-host], after: 10s}\n"
                   "      - {upgrade: \"4.15\", after: 5s}\n");
  const auto sc = LoadScenarioText(text, "s.yaml");
  BOOST_TEST_REQUIRE(sc.lifecycle.has_value());
  BOOST_TEST(sc.lifecycle->steps.size() == 3u);
  BOOST_TEST(sc.lifecycle->steps[2].afterSeconds == 5.0);
  BOOST_TEST(sc.ipsecConfigJson == "{}");
}

BOOST_AUTO_TEST_CASE(bad_procedures_name_the_step_and_the_reason) {
  // Removing what is not there (IPsec is off at install).
  std::string e = ErrorOf(ScenarioText("4.15", "",
                                       "      - json_patch: '[{\"op\":\"remove\",\"path\":\"/spec/"
                                       "defaultNetwork/ovnKubernetesConfig/ipsecConfig\"}]'\n"));
  BOOST_TEST(e.find("s.yaml:9: lifecycle.procedure.steps[0]") == 0);
  BOOST_TEST(e.find("doc is missing path") != std::string::npos);
  // A field 4.14 does not have.
  e = ErrorOf(
      ScenarioText("4.14", "",
                   "      - merge_patch: '{\"spec\":{\"defaultNetwork\":{\"ovnKubernetesConfig\":"
                   "{\"ipsecConfig\":{\"mode\":\"Full\"}}}}}'\n"));
  BOOST_TEST(e.find("field not declared in schema") != std::string::npos);
  // An update to an older version, and one that skips a minor.
  e = ErrorOf(ScenarioText("4.15", "", "      - {upgrade: \"4.14\"}\n"));
  BOOST_TEST(e.find("s.yaml:9:") == 0);
  BOOST_TEST(e.find("cannot be updated to an older version") != std::string::npos);
  e = ErrorOf(ScenarioText("4.14", "", "      - {upgrade: \"4.16\"}\n"));
  BOOST_TEST(e.find("one minor version at a time") != std::string::npos);
  // Two actions in one step; an unknown DaemonSet.
  e = ErrorOf(ScenarioText("4.14", "", "      - {upgrade: \"4.15\", merge_patch: '{}'}\n"));
  BOOST_TEST(e.find("exactly one of") != std::string::npos);
  e = ErrorOf(ScenarioText("4.14", "", "      - {delete_daemonsets: [ovn-ipsec-hots]}\n"));
  BOOST_TEST(e.find("ovn-ipsec-host") != std::string::npos);
  // Z-streams: one that never shipped, an older one, the same one.
  e = ErrorOf(ScenarioText("4.14", "", "      - {upgrade: \"4.15.4\"}\n"));
  BOOST_TEST(e.find("s.yaml:9:") == 0);
  BOOST_TEST(e.find("4.15.4 was never released") != std::string::npos);
  e = ErrorOf(ScenarioText("4.15.40", "", "      - {upgrade: \"4.15.30\"}\n"));
  BOOST_TEST(e.find("older version: 4.15.40 -> 4.15.30") != std::string::npos);
  e = ErrorOf(ScenarioText("4.15.40", "", "      - {upgrade: \"4.15.40\"}\n"));
  BOOST_TEST(e.find("already runs 4.15.40") != std::string::npos);
  e = ErrorOf(ScenarioText("4.15.99", "", "      - {upgrade: \"4.16\"}\n"));
  BOOST_TEST(e.find("cluster.version") != std::string::npos);
  BOOST_TEST(e.find("4.15.99 was never released: 4.15 ends at 4.15.67") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_clock_moves_forward_only) {
  const auto ok = LoadScenarioText(
      ScenarioText("4.16", "",
                   "      - {advance: 4.6y}\n      - {advance_to: \"2031-02-01T06:00:00Z\"}\n"),
      "s.yaml");
  BOOST_TEST_REQUIRE(ok.lifecycle->steps.size() == 2u);
  BOOST_TEST(ok.lifecycle->steps[0].advanceSeconds == 145065600.0,
             boost::test_tools::tolerance(1e-9));
  BOOST_TEST(*ok.lifecycle->steps[1].advanceTo == 1927692000);
  auto e = ErrorOf(ScenarioText("4.16", "", "      - {advance_to: \"2025-12-31\"}\n"));
  BOOST_TEST(e.find("s.yaml:9:") == 0, e);
  BOOST_TEST(e.find("expected a date after the install (2026-01-01T00:00:00Z), got "
                    "2025-12-31T00:00:00Z") != std::string::npos,
             e);
  // Backwards: 4.6 years on, the clock is past 2030.
  e = ErrorOf(
      ScenarioText("4.16", "", "      - {advance: 4.6y}\n      - {advance_to: \"2030-01-01\"}\n"));
  BOOST_TEST(e.find("s.yaml:10:") == 0, e);
  BOOST_TEST(e.find("the clock cannot go backwards") != std::string::npos, e);
  e = ErrorOf(ScenarioText("4.16", "", "      - {advance_to: \"2030-02-30\"}\n"));
  BOOST_TEST(e.find("expected a UTC date such as 2030-08-01") != std::string::npos, e);
  e = ErrorOf(ScenarioText("4.16", "", "      - {advance: 0s}\n"));
  BOOST_TEST(e.find("expected a duration greater than 0") != std::string::npos, e);
  e = ErrorOf(ScenarioText("4.16", "", "      - {advance: 20y}\n      - {advance: 11y}\n"));
  BOOST_TEST(e.find("at most 30y together") != std::string::npos, e);
  e = ErrorOf(ScenarioText("4.16", "", "      - {advance: 31y}\n"));
  BOOST_TEST(e.find("at most") != std::string::npos, e);
  e = ErrorOf(ScenarioText("4.16", "", "      - {advance: 1y, wait_rollout: false}\n"));
  BOOST_TEST(e.find("not on advance") != std::string::npos, e);
  e = ErrorOf("duration: 600s\n" + ScenarioText("4.16", "", "      - {advance: 1y}\n"));
  BOOST_TEST(e.find("s.yaml:10:") == 0, e);
  BOOST_TEST(e.find("expected no scenario duration beside an advance step") != std::string::npos,
             e);
}

BOOST_AUTO_TEST_CASE(a_libreswan_the_release_never_shipped_needs_saying_so) {
  auto text = [](const std::string& extra) {
    return "name: s\ncluster:\n  version: \"4.15\"\n  pools: [{name: worker, nodes: 2}]\n"
           "  ipsec: {mode: Full}\nlifecycle:\n" +
           extra;
  };
  std::string e = ErrorOf(text("  libreswan: \"5.x\"\n"));
  BOOST_TEST(e.find("expected a libreswan that 4.15 shipped (4.6, 4.9), got '5.x'") !=
             std::string::npos);
  BOOST_TEST(ErrorOf(text("  libreswan: \"5.x\"\n  libreswan_unshipped: true\n")).empty());
  BOOST_TEST(ErrorOf(text("  libreswan: \"4.6\"\n")).empty());
  e = ErrorOf(text("  libreswan: \"4.7\"\n"));
  BOOST_TEST(e.find("4.5") != std::string::npos);
  e = ErrorOf(text("  libreswan_unshipped: true\n"));
  BOOST_TEST(e.find("only beside libreswan") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_not_recommended_update_is_a_warning) {
  Scenario sc = LoadScenarioText(
      ScenarioText("4.14.12", "  ipsec: {}\n", "      - {upgrade: \"4.15.0\"}\n"), "s.yaml");
  BOOST_TEST_REQUIRE(sc.lifecycle->warnings.size() == 2u);
  BOOST_TEST(sc.lifecycle->warnings[0].find("OVNIPsecConnectivity") != std::string::npos);
  sc = LoadScenarioText(
      ScenarioText("4.14.12", "  ipsec: {}\n", "      - {upgrade: \"4.15.49\"}\n"), "s.yaml");
  BOOST_TEST(sc.lifecycle->warnings.empty());
  // With IPsec off the risk does not apply.
  sc = LoadScenarioText(ScenarioText("4.14.12", "", "      - {upgrade: \"4.15.0\"}\n"), "s.yaml");
  BOOST_TEST(sc.lifecycle->warnings.empty());
}

BOOST_AUTO_TEST_CASE(metric_and_probe_expectations_are_checked) {
  const std::string base = ScenarioText("4.15", "", "      - {upgrade: \"4.16\"}\n");
  std::string e = ErrorOf(base + "expect:\n  - {metric: broken_pears, equals: 0}\n");
  BOOST_TEST(e.find("broken_pairs") != std::string::npos);
  e = ErrorOf(base +
              "expect:\n  - {probes: worker-0>worker-9, verdict: encrypted, from: 1s, "
              "until: 2s}\n");
  BOOST_TEST(e.find("FROM>TO") != std::string::npos);
  e = ErrorOf(base + "expect:\n  - {probes: all, verdict: encrypted, from: 5s, until: 2s}\n");
  BOOST_TEST(e.find("'until' after 'from'") != std::string::npos);
  e = ErrorOf(base + "expect:\n  - {metric: version, at_least: 1}\n");
  BOOST_TEST(e.find("expected 'equals' for version") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_command_line_exits_2_with_the_message) {
  const std::string dir = ipsecsim::test::MakeTempDir("lifecycle");
  std::ofstream(dir + "/s.yaml") << ScenarioText("4.15", "", "      - {upgrade: \"4.13\"}\n");
  const auto r = ipsecsim::test::RunCommand(ipsecsim::test::IpsecsimBinary() + " run " + dir +
                                            "/s.yaml --out " + dir + "/out 2>&1");
  BOOST_TEST(r.exitCode == 2);
  BOOST_TEST(r.output.find("s.yaml:9: lifecycle.procedure.steps[0]") != std::string::npos);
}
