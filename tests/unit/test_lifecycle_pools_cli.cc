// The pools through the command line: `oc get mcp`'s table after the install
// and each step in the terminal and in report.json, per-pool maxUnavailable
// from the scenario, and a wait step whose timeout is a failed check (exit
// 1, a JUnit failure), never a crash.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "scenario_run.h"

namespace {

// Enabling IPsec reboots every node; the enable returns at once and the
// wait step waits for the pools, as the documentation's `oc get mcp` check.
std::string Scenario(const std::string& name, const std::string& workerMaxUnavailable,
                     const std::string& timeout) {
  return "name: " + name + R"(
seed: 1
cluster:
  version: "4.15"
  pools:
    - {name: master, nodes: 1}
    - {name: worker, nodes: 4, max_unavailable: )" +
         workerMaxUnavailable + R"(}
lifecycle:
  probes: {interval: 0s}
  settle: 10s
  modelled_crypto: true
  machine_config: {reboot_jitter: 0s}
  procedure:
    start: 20s
    steps:
      - merge_patch: '{"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{"mode":"Full"}}}}}'
        wait_rollout: false
      - {wait_pools: all, timeout: )" +
         timeout + R"(}
)";
}

using Run = ipsecsim::test::ScenarioRun;

Run RunText(const std::string& name, const std::string& text) {
  return ipsecsim::test::RunScenarioText("lifecycle-pools", name, text);
}

double WaitSeconds(const nlohmann::json& report) {
  const auto& pools = report["lifecycle"]["pools"];
  return double(pools[2]["at"]) - double(pools[1]["at"]);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_table_after_each_step) {
  const Run r = RunText("pools-wait", Scenario("pools-wait", "1", "1h"));
  BOOST_TEST_REQUIRE(r.exitCode == 0, r.output);
  BOOST_TEST(r.output.find("NAME     CONFIG") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("UPDATED   UPDATING   DEGRADED   MACHINECOUNT   READYMACHINECOUNT   "
                           "UPDATEDMACHINECOUNT   DEGRADEDMACHINECOUNT") != std::string::npos);
  BOOST_TEST(r.output.find("POOLS at 20.0 s, after step 1/2") != std::string::npos, r.output);
  const auto& pools = r.report["lifecycle"]["pools"];
  BOOST_TEST_REQUIRE(pools.size() == 3u);
  BOOST_TEST(pools[0]["step"] == "install");
  BOOST_TEST(pools[2]["step"].get<std::string>().rfind("step 2/2: oc wait mcp --all", 0) == 0);
  const auto& worker = pools[2]["pools"][1];
  BOOST_TEST(worker["name"] == "worker");
  BOOST_TEST(worker["updated"] == true);
  BOOST_TEST(worker["updated_machine_count"] == 4);
  BOOST_TEST(worker["config"] == worker["target"]);
  BOOST_TEST(worker["config"] != pools[0]["pools"][1]["config"]);
  BOOST_TEST(pools[1]["pools"][1]["updating"] == true);
  BOOST_TEST(pools[1]["pools"][1]["updated_machine_count"] == 0);
  // The wait is an expectation that held.
  bool found = false;
  for (const auto& e : r.report["expectations"]) {
    if (e["flow"].get<std::string>().find("oc wait mcp") == std::string::npos) continue;
    found = true;
    BOOST_TEST(e["pass"] == true);
  }
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(the_pool_max_unavailable_shortens_the_wait) {
  // Four workers, one at a time or two: 4 and 2 node updates in a row.
  const Run one = RunText("pools-one", Scenario("pools-one", "1", "1h"));
  const Run half = RunText("pools-half", Scenario("pools-half", "50%", "1h"));
  BOOST_TEST_REQUIRE(one.exitCode == 0, one.output);
  BOOST_TEST_REQUIRE(half.exitCode == 0, half.output);
  const double perNode = 30 + 90 + 20;  // drain, reboot, ready
  BOOST_TEST(WaitSeconds(one.report) - WaitSeconds(half.report) == 2 * perNode,
             boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(a_wait_that_times_out_fails_the_scenario) {
  const Run r = RunText("pools-timeout", Scenario("pools-timeout", "1", "5m"));
  BOOST_TEST(r.exitCode == 1, r.output);
  BOOST_TEST(r.output.find("timed out after 300.0 s") != std::string::npos, r.output);
  BOOST_TEST(r.junit.find("<failure") != std::string::npos);
  bool failed = false;
  for (const auto& e : r.report["expectations"])
    failed |= e["pass"] == false &&
              e["actual"].get<std::string>().find("worker Updated=False") != std::string::npos;
  BOOST_TEST(failed, r.report["expectations"].dump());
}

// The lifecycle's state is written once in junit.xml, not with every wait
// step's check: 800 waits gave a 279 MB file and 1.1 GB of memory (the size
// grew with the square of the steps), 5000 would have been 14 GB.
BOOST_AUTO_TEST_CASE(many_wait_steps_keep_junit_linear) {
  std::string text = R"(name: pools-many-waits
cluster:
  version: "4.15"
  pools: [{name: worker, nodes: 2}]
lifecycle:
  probes: {interval: 0s}
  settle: 1s
  procedure:
    start: 1s
    steps:
)";
  for (int i = 0; i < 800; ++i) text += "      - {wait_pools: all, timeout: 1h}\n";
  const Run r = RunText("pools-many-waits", text);
  BOOST_TEST_REQUIRE(r.exitCode == 0, r.output.substr(0, 2000));
  BOOST_TEST(r.junit.size() < 4u * 1024 * 1024, r.junit.size());
  size_t lifecycles = 0;
  for (size_t at = r.junit.find("LIFECYCLE "); at != std::string::npos;
       at = r.junit.find("LIFECYCLE ", at + 1))
    ++lifecycles;
  BOOST_TEST(lifecycles == 1u);
  BOOST_TEST(r.junit.find("state is written with the first of these") != std::string::npos);
}
