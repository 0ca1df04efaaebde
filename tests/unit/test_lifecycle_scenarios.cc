// The lifecycle reference scenarios through the command line: each holds
// its expectations (probe verdicts over time windows, NB_Global, SAD and
// SPD contents, broken pairs), and the same expectations fail when the
// mechanism is switched (stock daemons expected to be fixed, and back).
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "run_command.h"

using ipsecsim::test::IpsecsimBinary;
using ipsecsim::test::MakeTempDir;
using ipsecsim::test::RunCommand;

namespace {

std::string Read(const std::string& path) { return ipsecsim::test::ReadText(path); }

nlohmann::json Run(const std::string& scenario, int expectExit) {
  const std::string dir = MakeTempDir("lifecycle");
  const auto r = RunCommand(IpsecsimBinary() + " run " + scenario + " --out " + dir + " 2>&1");
  BOOST_TEST(r.exitCode == expectExit, scenario << "\n" << r.output);
  // The only scenario of the run: its directory is the only one under DIR.
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    return nlohmann::json::parse(Read(entry.path().string() + "/report.json"));
  BOOST_FAIL("no report under " << dir);
  return {};
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
  Run(Scenario("lifecycle-upgrade-4.14-to-4.15"), 0);
  Run(Scenario("lifecycle-upgrade-4.14-to-4.15-fixed-daemons"), 0);
  Run(Scenario("lifecycle-upgrade-4.14-to-4.15.49"), 0);
  Run(Scenario("lifecycle-zstream-update-4.15.30-to-4.15.40"), 0);
  const auto safe = Run(Scenario("lifecycle-upgrade-safe-procedure"), 0);
  BOOST_TEST(safe["lifecycle"]["summary"]["broken_pairs"].get<int>() >= 1);
  // The safe procedure's broken pair comes from both ends initiating with
  // libreswan 4.x: with the fixed daemons, or with libreswan 5.x, the same
  // expectations fail (no pair is broken).
  const std::string dir = MakeTempDir("swapped");
  const std::string text = Read(Scenario("lifecycle-upgrade-safe-procedure"));
  std::ofstream(dir + "/a.yaml") << std::regex_replace(text, std::regex("daemon_fixes: stock"),
                                                       "daemon_fixes: fixed");
  const auto a = Run(dir + "/a.yaml", 1);
  BOOST_TEST(a["lifecycle"]["summary"]["broken_pairs"] == 0);
  std::ofstream(dir + "/b.yaml") << std::regex_replace(
      text, std::regex("daemon_fixes: stock"),
      "daemon_fixes: stock\n  libreswan: \"5.x\"\n  libreswan_unshipped: true");
  const auto b = Run(dir + "/b.yaml", 1);
  BOOST_TEST(b["lifecycle"]["summary"]["broken_pairs"] == 0);
  BOOST_TEST(b["lifecycle"]["libreswan"] == "5.x");
}

// A node behind a NAT: its peers' tunnels and SAs go to the NAT's public
// address, and the pair states follow them there.
// The 4.14 -> 4.15 update on an IPv6 underlay: the daemons negotiate over
// IPv6, reboots take the IPv6 link down, and the outcome is the IPv4 one,
// pair for pair: the mechanism does not depend on the family.
BOOST_AUTO_TEST_CASE(an_ipv6_underlay_goes_through_the_update_as_ipv4_does) {
  const std::string name = "lifecycle-upgrade-4.14-to-4.15";
  std::string yaml = Read(Scenario(name));
  const std::string version = "  version: \"4.14.12\"\n";
  BOOST_REQUIRE(yaml.find(version) != std::string::npos);
  yaml.replace(yaml.find(version), version.size(), version + "  ip_family: ipv6\n");
  const std::string path = MakeTempDir("lifecycle-ipv6") + "/" + name + "-ipv6.yaml";
  std::ofstream(path) << yaml;
  const auto v6 = Run(path, 0);
  const auto v4 = Run(Scenario(name), 0);
  BOOST_TEST(v6["ip_family"] == "ipv6");
  BOOST_TEST(v6["keying"] == "ike");
  BOOST_TEST(v6["underlay_packets"]["ike"].get<int>() > 0);
  for (const char* key : {"pairs_up", "broken_pairs", "black_holed_pairs", "pairs_ever_black_holed",
                          "reboots", "ipsec_pod_starts", "probes_lost", "sa_count", "policy_count"})
    BOOST_TEST(v6["lifecycle"]["summary"][key] == v4["lifecycle"]["summary"][key], key);
  BOOST_REQUIRE_EQUAL(v6["lifecycle"]["pairs"].size(), v4["lifecycle"]["pairs"].size());
  for (size_t i = 0; i < v4["lifecycle"]["pairs"].size(); ++i)
    BOOST_TEST(v6["lifecycle"]["pairs"][i]["final"] == v4["lifecycle"]["pairs"][i]["final"]);
}

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
