// The lifecycle reference scenarios through the command line: each holds
// its expectations (probe verdicts over time windows, NB_Global, SAD and
// SPD contents, broken pairs), and the same expectations fail when the
// mechanism is switched (stock daemons expected to be fixed, and back).
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "run_command.h"

using ipsecsim::test::IpsecsimBinary;
using ipsecsim::test::MakeTempDir;
using ipsecsim::test::RunCommand;

namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json Run(const std::string& scenario, int expectExit) {
  const std::string dir = MakeTempDir("lifecycle");
  const auto r = RunCommand(IpsecsimBinary() + " run " + scenario + " --out " + dir + " 2>&1");
  BOOST_TEST(r.exitCode == expectExit, scenario << "\n" << r.output);
  return nlohmann::json::parse(Read(dir + "/report.json"));
}

std::string Scenario(const std::string& name) {
  return std::string(IPSECSIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml";
}

}  // namespace

BOOST_AUTO_TEST_CASE(enable_and_disable_after_install) {
  const auto on = Run(Scenario("lifecycle-enable-after-install"), 0);
  BOOST_TEST(on["lifecycle"]["nb_global"]["ipsec"] == true);
  BOOST_TEST(on["lifecycle"]["summary"]["pairs_up"] == 15);
  const auto off = Run(Scenario("lifecycle-disable-after-install"), 0);
  BOOST_TEST(off["lifecycle"]["nb_global"]["ipsec"] == false);
  BOOST_TEST(off["lifecycle"]["summary"]["sa_count"] == 0);
  BOOST_TEST(off["lifecycle"]["summary"]["policy_count"] == 0);
  BOOST_TEST(off["lifecycle"]["ipsec_config"] == "null");
  for (const auto& node : off["nodes"]) BOOST_TEST(node["sa_count"] == 0);
}

BOOST_AUTO_TEST_CASE(update_scenarios_hold_and_fail_when_the_daemons_are_swapped) {
  const auto stock = Run(Scenario("lifecycle-upgrade-4.14-to-4.15"), 0);
  BOOST_TEST(stock["lifecycle"]["summary"]["broken_pairs"].get<int>() >= 1);
  Run(Scenario("lifecycle-upgrade-4.14-to-4.15-fixed-daemons"), 0);
  Run(Scenario("lifecycle-upgrade-safe-procedure"), 0);
  // The stock scenario's expectations with fixed daemons, and the other way
  // round: the expectations are about the mechanism, and fail without it.
  const std::string dir = MakeTempDir("swapped");
  const std::string stockText = Read(Scenario("lifecycle-upgrade-4.14-to-4.15"));
  std::ofstream(dir + "/a.yaml") << std::regex_replace(stockText, std::regex("daemon_fixes: stock"),
                                                       "daemon_fixes: fixed");
  const auto a = Run(dir + "/a.yaml", 1);
  BOOST_TEST(a["lifecycle"]["summary"]["broken_pairs"] == 0);
  const std::string fixedText = Read(Scenario("lifecycle-upgrade-4.14-to-4.15-fixed-daemons"));
  std::ofstream(dir + "/b.yaml") << std::regex_replace(fixedText, std::regex("daemon_fixes: fixed"),
                                                       "daemon_fixes: stock");
  const auto b = Run(dir + "/b.yaml", 1);
  bool windowFailed = false;
  for (const auto& e : b["expectations"])
    windowFailed |= e["flow"].get<std::string>().rfind("probes all [1300s", 0) == 0 && !e["pass"];
  BOOST_TEST(windowFailed);
}

// A node behind a NAT: its peers' tunnels and SAs go to the NAT's public
// address, and the pair states follow them there.
BOOST_AUTO_TEST_CASE(pair_states_follow_a_node_behind_a_nat) {
  const std::string dir = MakeTempDir("natlife");
  std::ofstream(dir + "/s.yaml") << "name: s\n"
                                    "cluster:\n"
                                    "  version: \"4.15\"\n"
                                    "  pools: [{name: worker, nodes: 3}]\n"
                                    "  ipsec: {mode: Full}\n"
                                    "underlay:\n"
                                    "  nats: [{name: nat-0, nodes: [worker-2]}]\n"
                                    "lifecycle:\n"
                                    "  daemon_fixes: fixed\n"
                                    "  settle: 10s\n"
                                    "  procedure: {start: 60s, steps: []}\n"
                                    "expect:\n"
                                    "  - {probes: all, verdict: encrypted, from: 30s, until: 60s}\n"
                                    "  - {metric: pairs_up, equals: 3}\n";
  const auto r = Run(dir + "/s.yaml", 0);
  for (const auto& pair : r["lifecycle"]["pairs"]) BOOST_TEST(pair["final"] == "up");
}
