// The MTU change procedure through the command line: each node's pod MTU
// changes when it reboots, and the wire shows full-size packets fragmented
// while the arithmetic says they do not fit and never once it says they do.
// The documentation's findings reach the terminal and JUnit and change no
// verdict.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mtu_arithmetic.h"
#include "run_command.h"
#include "scenario_run.h"

namespace mtu = ipsecsim::sim::mtu;

namespace {

std::string Read(const std::string& path) { return ipsecsim::test::ReadText(path); }

// IPsec Full on an IPv6 underlay with the pod MTU left at 1400, then the
// procedure to 1354. A full-size (1400-byte) datagram every second, once
// the SAs are up, from the node the MCO reboots last.
const char kScenario[] = R"(name: mtu-migration
seed: 1
cluster:
  version: "4.15"
  ip_family: ipv6
  host_mtu: 1500
  cluster_mtu: 1400
  ipsec: {mode: Full}
  pools: [{name: worker, nodes: 3}]
pods:
  - {name: a, node: worker-2}
  - {name: b, node: worker-0}
flows:
  - {name: full-size, from: a, to: b, packets: 900, size: 1372, start: 15s, interval: 1s}
lifecycle:
  probes: {interval: 0s}
  settle: 60s
  procedure:
    start: 30s
    steps:
      - merge_patch: '{"spec":{"migration":{"mtu":{"network":{"from":1400,"to":1354},"machine":{"to":1500}}}}}'
      - merge_patch: '{"spec":{"migration":null,"defaultNetwork":{"ovnKubernetesConfig":{"mtu":1354}}}}'
        after: 30s
)";

using Run = ipsecsim::test::ScenarioRun;

Run RunText(const std::string& name, const std::string& text) {
  return ipsecsim::test::RunScenarioText("lifecycle-mtu", name, text);
}

const Run& Migration() {
  static const Run run = RunText("mtu-migration", kScenario);
  return run;
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_node_takes_its_pod_mtu_when_it_reboots) {
  const Run& r = Migration();
  BOOST_TEST_REQUIRE(r.exitCode == 0, r.output);
  const auto& l = r.report["lifecycle"];
  // When each node came back up, from the control plane's own events.
  std::map<std::string, std::vector<double>> ups;
  for (const auto& e : l["events"]) {
    const std::string text = e["event"];
    const auto colon = text.find(": up on ");
    if (colon != std::string::npos) ups[text.substr(0, colon)].push_back(e["at"]);
  }
  std::map<std::string, std::vector<nlohmann::json>> changes;
  for (const auto& c : l["mtu_changes"]) changes[c["node"]].push_back(c);
  BOOST_TEST_REQUIRE(changes.size() == 3u);
  for (const auto& [node, list] : changes) {
    BOOST_TEST_REQUIRE(list.size() == 2u, node);
    BOOST_TEST_REQUIRE(ups[node].size() == 2u, node);
    // The migration: ovnkube-config mtu 1400, routable-mtu 1354 on the routes.
    BOOST_TEST(list[0]["pod_mtu_before"] == 1400);
    BOOST_TEST(list[0]["pod_mtu"] == 1354);
    BOOST_TEST(list[0]["mtu"] == 1400);
    BOOST_TEST(list[0]["routable_mtu"] == 1354);
    // Its end: mtu 1354, no routable-mtu; the pods' route MTU stays.
    BOOST_TEST(list[1]["pod_mtu"] == 1354);
    BOOST_TEST(list[1]["mtu"] == 1354);
    BOOST_TEST(list[1]["routable_mtu"] == 0);
    BOOST_TEST(list[1]["machine_mtu"] == 1500);
    BOOST_TEST(double(list[0]["at"]) == ups[node][0], node);
    BOOST_TEST(double(list[1]["at"]) == ups[node][1], node);
  }
  // One node at a time: the three nodes changed at three different times.
  BOOST_TEST(double(changes["worker-0"][0]["at"]) != double(changes["worker-1"][0]["at"]));
  BOOST_TEST(double(changes["worker-1"][0]["at"]) != double(changes["worker-2"][0]["at"]));
  BOOST_TEST(l["summary"]["pod_mtu"] == "1354");
  BOOST_TEST(r.report["cluster_mtu"] == 1400);  // as installed
  BOOST_TEST(r.output.find("MTU worker-0 at ") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(full_size_packets_fragment_only_while_the_arithmetic_says_they_do_not_fit) {
  constexpr auto kV6 = mtu::UnderlayFamily::kIpv6;
  constexpr uint32_t kOld = mtu::OuterIpLength(1400, mtu::Protection::kEsp, kV6);
  constexpr uint32_t kNew = mtu::OuterIpLength(1354, mtu::Protection::kEsp, kV6);
  static_assert(kOld > 1500 && kNew <= 1500);
  const uint32_t pieces = mtu::Ipv6FragmentCount(kOld, 1500);
  const Run& r = Migration();
  BOOST_TEST_REQUIRE(r.exitCode == 0, r.output);
  const auto& flow = r.report["flows"][0];
  BOOST_TEST_REQUIRE(flow["mtu_phases"].size() == 3u);
  const auto& before = flow["mtu_phases"][0];
  const auto& mixed = flow["mtu_phases"][1];
  const auto& after = flow["mtu_phases"][2];
  BOOST_TEST(before["phase"] == "before");
  BOOST_TEST(after["phase"] == "after");
  // Before: every full-size datagram leaves as `pieces` IPv6 fragments.
  BOOST_TEST(uint64_t(before["datagrams"]) > 10u);
  BOOST_TEST(uint64_t(before["fragments"]) == pieces * uint64_t(before["datagrams"]));
  // While the sender keeps 1400 (the other nodes have 1354) they still fragment.
  BOOST_TEST(uint64_t(mixed["fragments"]) > 0u);
  BOOST_TEST(uint64_t(mixed["fragments"]) == pieces * uint64_t(mixed["datagrams"]));
  // After: the pod's route MTU is 1354 and nothing fragments on the underlay.
  BOOST_TEST(uint64_t(after["datagrams"]) > 100u);
  BOOST_TEST(after["fragments"] == 0);
  BOOST_TEST(after["df_drops"] == 0);
  BOOST_TEST(double(mixed["from"]) >= 30.0);
  BOOST_TEST(r.output.find("    after [") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(documentation_findings_reach_terminal_and_junit_without_changing_verdicts) {
  const std::string disable = std::string(R"(name: disable-installed
cluster:
  version: "4.15"
  ipsec: {mode: Full}
  pools: [{name: worker, nodes: 2}]
lifecycle:
  probes: {interval: 0s}
  settle: 10s
  procedure:
    start: 10s
    steps:
      - json_patch: '[{"op":"remove","path":"/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig"}]'
expect:
  - {metric: nb_global_ipsec, equals: false}
)");
  const Run r = RunText("disable-installed", disable);
  BOOST_TEST(r.exitCode == 0, r.output);
  const std::string words = "only if you enabled IPsec after cluster installation";
  BOOST_TEST(r.output.find("D1  line 12: IPsec disabled") != std::string::npos, r.output);
  BOOST_TEST(r.junit.find("WARNING preflight D1: line 12: IPsec disabled") != std::string::npos);
  BOOST_TEST(r.junit.find(words) != std::string::npos);
  BOOST_TEST_REQUIRE(r.report["preflight"].size() == 1u);
  BOOST_TEST(r.report["preflight"][0]["status"] == "warning");
  BOOST_TEST(r.report["all_expectations_pass"] == true);
  // The migration run crosses none of the lines.
  BOOST_TEST(Migration().report["preflight"].size() == 0u);
  BOOST_TEST(Migration().junit.find("WARNING") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_reference_scenario_fails_without_the_procedure) {
  const std::string path =
      std::string(IPSECSIM_SOURCE_DIR) + "/scenarios/lifecycle-mtu-migration-then-enable.yaml";
  std::string text = Read(path);
  const Run with = RunText("lifecycle-mtu-migration-then-enable", text);
  BOOST_TEST(with.exitCode == 0, with.output);
  BOOST_TEST(with.report["preflight"].size() == 0u);
  // The same enable without the two MTU patches: full-size packets fragment
  // and the documentation's MTU finding fires.
  const size_t from = text.find("      - oc: >-");
  const size_t to = text.find("      - merge_patch:");
  BOOST_TEST_REQUIRE((from != std::string::npos && to != std::string::npos && from < to));
  text.erase(from, to - from);
  const Run without = RunText("lifecycle-mtu-migration-then-enable", text);
  BOOST_TEST(without.exitCode == 1, without.output);
  BOOST_TEST(uint64_t(without.report["flows"][0]["wire"]["ip_fragments"]) > 0u);
  BOOST_TEST_REQUIRE(without.report["preflight"].size() == 1u);
  BOOST_TEST(std::string(without.report["preflight"][0]["text"]).find("headroom -12 B") !=
             std::string::npos);
}
