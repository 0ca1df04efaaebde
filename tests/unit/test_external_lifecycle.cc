// The external-endpoint procedure as a lifecycle step: `oc apply` of the
// user's MachineConfigs, the MCO's rollout, and each node's host pluto
// loading the user's connections when it boots into the new config. What
// the wire shows follows the reboots, node by node.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "runner.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

RunReport Run(const Scenario& sc) {
  const RunReport r = RunScenario(sc, RunOptions{});
  for (const ExpectationResult& e : r.expectations)
    BOOST_TEST(e.pass,
               sc.name << " " << e.flow << ": expected " << e.expected << ", got " << e.actual);
  return r;
}

const FlowResult& Flow(const RunReport& r, const std::string& name) {
  for (const FlowResult& f : r.flows)
    if (f.name == name) return f;
  throw std::runtime_error("no flow " + name);
}

const NodeCounters& Node(const RunReport& r, const std::string& name) {
  for (const NodeCounters& n : r.nodes)
    if (n.node == name) return n;
  throw std::runtime_error("no node " + name);
}

// When the lifecycle log first says `text` (every line is "<node>: ...").
double When(const RunReport& r, const std::string& text) {
  for (const LifecycleEventLine& e : r.lifecycle->events)
    if (e.text.find(text) != std::string::npos) return e.seconds;
  throw std::runtime_error("never logged: " + text);
}

bool Logged(const RunReport& r, const std::string& text) {
  for (const LifecycleEventLine& e : r.lifecycle->events)
    if (e.text.find(text) != std::string::npos) return true;
  return false;
}

const std::string kFiles = std::filesystem::absolute("scenarios/external-host").string();

// A 4.14 cluster (IPsec on: the containerized pod runs pluto) that gets the
// workers' endpoint MachineConfig by `oc apply`.
std::string Cluster414Apply() {
  return R"(name: external-apply-4.14
seed: 1
cluster:
  version: "4.14.12"
  host_mtu: 1500
  cluster_mtu: 1354
  pools: [{name: worker, nodes: 2}]
  ipsec: {}
external:
  hosts:
    - {name: ext-0, address: 192.0.2.10, ipsec_conf: )" +
         kFiles + "/external-host.conf, bundle: " + kFiles + "/right_server.p12, ca: " + kFiles +
         R"(/ca.pem}
lifecycle:
  procedure:
    start: 60s
    steps:
      - apply: )" +
         kFiles +
         R"(/99-ipsec-worker-endpoint-config.bu
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
flows:
  - {name: before, from: worker-0, to: ext-0, protocol: udp, port: 7000, packets: 5, size: 400, start: 20s, interval: 1s}
  - {name: after, from: worker-0, to: ext-0, protocol: udp, port: 7000, packets: 5, size: 400, start: 500s, interval: 1s}
  - {name: pods-after, from: a, to: b, protocol: udp, port: 8080, packets: 5, size: 400, start: 500s, interval: 1s}
)";
}

Scenario LoadText(const std::string& name, const std::string& text) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("ipsecsim-" + name + ".yaml")).string();
  std::ofstream(path) << text;
  Scenario sc = LoadScenarioFile(path);
  std::filesystem::remove(path);
  return sc;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(external_lifecycle)

// The documented procedure: connectivity to the host arrives with each
// node's own reboot, and pod-to-pod IPsec is untouched.
BOOST_AUTO_TEST_CASE(each_node_reaches_the_host_in_esp_from_its_own_reboot) {
  const RunReport r = Run(LoadScenarioFile("scenarios/lifecycle-external-endpoint-apply.yaml"));
  BOOST_TEST(r.AllExpectationsPass());
  // worker-1 is its pool's second node: its datagrams cross in clear until
  // it goes down, and in ESP once it is back with the new config.
  const double down = When(r, "worker-1: reboot");
  const FlowResult& throughout = Flow(r, "worker-1-to-external-throughout");
  BOOST_REQUIRE(!throughout.clearWindows.empty());
  BOOST_TEST(throughout.clearWindows.back().to <= down);
  BOOST_TEST(throughout.clearWindows.back().to >= down - 1.0);
  BOOST_TEST(throughout.protectedPackets > 0u);
  // worker-0 was back well before: by then it already had its SA.
  BOOST_TEST(When(r, "worker-0: updated and ready") < down);
  // The pools were Updating from the apply until the last node was ready.
  const auto& afterApply = r.lifecycle->pools.at(1);
  BOOST_TEST(afterApply.pools.size() == 2u);
  for (const auto& pool : afterApply.pools) {
    BOOST_TEST(pool.updating);
    BOOST_TEST(!pool.updated);
  }
  for (const auto& pool : r.lifecycle->pools.back().pools) BOOST_TEST(pool.updated);
  BOOST_TEST(Node(r, "ext-0").connectionsUp == 3u);  // cluster-nodes[1..3]
  // The node-host pairs from the kernels: each comes up after its node's
  // reboot into the new config, and all are up at the end.
  BOOST_TEST(r.lifecycle->externalPairsUp == 3u);
  for (const PairTimeline& p : r.lifecycle->externalPairs) {
    double firstUp = -1;
    for (const StateInterval& i : p.intervals)
      if (i.state == "up" && firstUp < 0) firstUp = i.from;
    BOOST_TEST(firstUp > When(r, p.a + ": up on"), p.a);
  }
}

// Against a host at Libreswan's defaults the node-host pairs come up one
// by one and each later one takes the host's SA: at the end only the last
// node's pair is up, the others black-holed (their kernels still send on
// SAs the host dropped).
BOOST_AUTO_TEST_CASE(against_a_default_host_only_the_last_nodes_pair_stays_up) {
  const RunReport r =
      Run(LoadScenarioFile("scenarios/lifecycle-external-endpoint-apply-shared-identity.yaml"));
  BOOST_TEST(r.AllExpectationsPass());
  BOOST_TEST(r.lifecycle->externalPairsUp == 1u);
  for (const PairTimeline& p : r.lifecycle->externalPairs) {
    BOOST_REQUIRE(!p.intervals.empty());
    BOOST_TEST(p.intervals.back().state == (p.a == "worker-1" ? "up" : "black-holed"), p.a);
  }
}

// Without the apply step nothing reboots and the host is reached in clear.
BOOST_AUTO_TEST_CASE(without_the_apply_the_host_is_reached_in_clear) {
  Scenario sc = LoadScenarioFile("scenarios/lifecycle-external-endpoint-apply.yaml");
  sc.lifecycle->steps.erase(sc.lifecycle->steps.begin());
  sc.externalSetup = nullptr;
  const RunReport r = RunScenario(sc, RunOptions{});
  BOOST_TEST(r.lifecycle->reboots == 0u);
  for (const char* flow : {"master-0-to-external-after", "external-to-worker-0-after",
                           "worker-1-to-external-throughout"})
    BOOST_TEST(Flow(r, flow).verdict == "plaintext", flow);
  BOOST_TEST(Flow(r, "pod-to-pod-after").verdict == "encrypted");
  BOOST_TEST(Node(r, "ext-0").connectionsUp == 0u);
}

// A typo in the workers' file: the pools report Updated, but no worker runs
// pluto after its reboot, and pod-to-pod IPsec is gone with it.
BOOST_AUTO_TEST_CASE(a_typo_stops_pod_to_pod_ipsec_on_each_node_that_boots_with_it) {
  const RunReport r =
      Run(LoadScenarioFile("scenarios/lifecycle-external-endpoint-apply-syntax-error.yaml"));
  BOOST_TEST(r.AllExpectationsPass());
  for (const char* node : {"worker-0", "worker-1"}) {
    const std::string n = node;
    BOOST_TEST(When(r, n + ": ipsec.service fails: addconn --checkconfig") >
               When(r, n + ": reboot"));
    BOOST_TEST(Logged(r, n + ": ovn-ipsec-host 4.15 pod: pluto is not running, exit 2"));
  }
  BOOST_TEST(!Logged(r, "master-0: ipsec.service fails"));
  for (const auto& pool : r.lifecycle->pools.back().pools) BOOST_TEST(pool.updated);
}

// 4.14: the containerized pod's pluto reads its image's /etc/ipsec.conf,
// never the host's /etc/ipsec.d. The MachineConfig brings the ipsec
// extension, so after its reboot the node's containerized pod sleeps (the
// host has libreswan), the host's pluto runs OVN's connections and the
// user's, and the host is reached in ESP.
BOOST_AUTO_TEST_CASE(on_4_14_the_extension_moves_pluto_to_the_host_and_the_conn_with_it) {
  const RunReport r = Run(LoadText("external-apply-414", Cluster414Apply()));
  BOOST_TEST(Flow(r, "before").verdict == "plaintext");
  BOOST_TEST(Flow(r, "after").verdict == "encrypted");
  BOOST_TEST(Flow(r, "pods-after").verdict == "encrypted");
  const double up = When(r, "worker-0: up on 4.14.12 with the ipsec extension");
  BOOST_TEST(When(r, "worker-0: ovn-ipsec-containerized 4.14.12 pod starts its pluto") < up);
  BOOST_TEST(When(r, "worker-0: ovn-ipsec-containerized 4.14.12 pod: host has libreswan") > up);
  BOOST_TEST(When(r, "worker-0: ipsec.service starts the host's pluto") >= up);
  BOOST_TEST(Node(r, "ext-0").connectionsUp == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
