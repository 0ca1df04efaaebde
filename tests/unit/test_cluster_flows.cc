// The documented flow matrix, decided from packets on the simulated wire:
// each flow class with IPsec Full, and the same flows with IPsec Disabled as
// the negative control.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <map>

#include "runner.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

std::string ClusterYaml(const std::string& mode) {
  return R"(
name: matrix-test
seed: 7
cluster:
  host_mtu: 1500
  pools:
    - {name: master, nodes: 1}
    - {name: worker, nodes: 2}
  ipsec: {mode: )" +
         mode + R"(}
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
  - {name: c, node: worker-0}
  - {name: h, node: worker-0, host_network: true}
flows:
  - {name: cross-udp, from: a, to: b, protocol: udp, port: 7000, packets: 12, size: 700}
  - {name: cross-tcp, from: b, to: a, protocol: tcp, port: 7001, packets: 10, size: 1200}
  - {name: cross-icmp, from: a, to: b, protocol: icmp, packets: 4, size: 100, interval: 50ms}
  - {name: host-to-pod, from: h, to: b, protocol: udp, port: 7002, packets: 12, size: 500}
  - {name: node-to-pod, from: master-0, to: a, protocol: tcp, port: 7003, packets: 8, size: 900}
  - {name: same-node, from: a, to: c, protocol: udp, port: 7004, packets: 12, size: 700}
  - {name: host-to-host, from: h, to: worker-1, protocol: udp, port: 7005, packets: 12, size: 700}
  - {name: pod-to-host, from: b, to: h, protocol: tcp, port: 7006, packets: 8, size: 900}
  - {name: pod-to-own-host, from: a, to: h, protocol: udp, port: 7007, packets: 12, size: 300}
)";
}

RunReport Run(const std::string& mode) {
  return RunScenario(LoadScenarioText(ClusterYaml(mode), "matrix-test.yaml"), RunOptions{});
}

const FlowResult& Flow(const RunReport& r, const std::string& name) {
  for (const FlowResult& f : r.flows) {
    if (f.name == name) return f;
  }
  throw std::runtime_error("no flow " + name);
}

uint64_t LinkClass(const FlowResult& f, const std::string& link, const std::string& cls) {
  for (const LinkEvidence& e : f.evidence) {
    if (e.link == link) {
      auto it = e.packets.find(cls);
      return it == e.packets.end() ? 0 : it->second;
    }
  }
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_flows)

BOOST_AUTO_TEST_CASE(full_mode_encrypts_exactly_the_documented_flows) {
  const RunReport r = Run("Full");
  const std::map<std::string, std::string> expected = {
      {"cross-udp", "encrypted"},    {"cross-tcp", "encrypted"},   {"cross-icmp", "encrypted"},
      {"host-to-pod", "encrypted"},  {"node-to-pod", "encrypted"}, {"same-node", "local"},
      {"host-to-host", "plaintext"}, {"pod-to-host", "plaintext"}, {"pod-to-own-host", "local"}};
  for (auto& [name, verdict] : expected) {
    BOOST_TEST_CONTEXT(name << ": " << Flow(r, name).explanation) {
      BOOST_TEST(Flow(r, name).verdict == verdict);
      BOOST_TEST(Flow(r, name).delivered == Flow(r, name).sent);
    }
  }
}

BOOST_AUTO_TEST_CASE(evidence_names_the_links_and_classes) {
  const RunReport r = Run("Full");
  const FlowResult& udp = Flow(r, "cross-udp");
  // Each datagram crossed the underlay once, sent by worker-0, as ESP.
  BOOST_TEST(LinkClass(udp, "worker-0/eth0", "esp") == 12u);
  BOOST_TEST(udp.clearPackets == 0u);
  BOOST_TEST(LinkClass(Flow(r, "host-to-host"), "worker-0/eth0", "clear") == 12u);
  // The datagrams crossed worker-0's link and then worker-1's, as ESP.
  BOOST_TEST(LinkClass(udp, "worker-1/eth0", "esp") == 12u);
  BOOST_TEST(LinkClass(udp, "master-0/eth0", "esp") == 0u);
  // Echo requests one way and replies the other: each link carries both.
  const FlowResult& icmp = Flow(r, "cross-icmp");
  BOOST_TEST(LinkClass(icmp, "worker-0/eth0", "esp") == 8u);
  BOOST_TEST(LinkClass(icmp, "worker-1/eth0", "esp") == 8u);
  BOOST_TEST(r.underlayPackets.count("geneve") == 0u);
  // 4 x (N - 1) SAs and policies per node.
  for (const NodeCounters& n : r.nodes) {
    BOOST_TEST(n.saCount == 8u);
    BOOST_TEST(n.policyCount == 8u);
  }
}

BOOST_AUTO_TEST_CASE(negative_control_sees_every_cross_node_flow_in_clear) {
  const RunReport r = Run("Disabled");
  for (const char* name : {"cross-udp", "cross-tcp", "cross-icmp", "host-to-pod", "node-to-pod",
                           "host-to-host", "pod-to-host"}) {
    BOOST_TEST_CONTEXT(name) { BOOST_TEST(Flow(r, name).verdict == "plaintext"); }
  }
  BOOST_TEST(Flow(r, "same-node").verdict == "local");
  BOOST_TEST(LinkClass(Flow(r, "cross-udp"), "worker-0/eth0", "geneve") == 12u);
  BOOST_TEST(r.underlayPackets.count("esp") == 0u);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_report) {
  const std::string dir = "/tmp/ipsecsim-determinism";
  const RunReport a = Run("Full");
  const RunReport b = Run("Full");
  WriteJsonReport(a, dir + "/a.json");
  WriteJsonReport(b, dir + "/b.json");
  std::ifstream fa(dir + "/a.json"), fb(dir + "/b.json");
  std::string ja((std::istreambuf_iterator<char>(fa)), {}),
      jb((std::istreambuf_iterator<char>(fb)), {});
  BOOST_TEST(!ja.empty());
  BOOST_TEST((ja == jb));
}

BOOST_AUTO_TEST_SUITE_END()
