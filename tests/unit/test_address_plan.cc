// The address plan computed from cluster.network: node subnets, ports and
// pods as OVN-Kubernetes lays them out, and a cluster larger than the
// default /14 whose pods above node 512 are reached (verdicts from the wire).
#include <boost/test/unit_test.hpp>
#include <string>

#include "addressing.h"
#include "network_plan.h"
#include "runner.h"
#include "scenario.h"

using namespace ipsecsim;
using ns3::Ipv4Address;

namespace {

sim::NetworkPlan Plan(const std::string& cluster, int hostPrefix) {
  std::string why;
  sim::NetworkPlan plan;
  plan.clusterNetwork = *sim::ParseIpv4Cidr(cluster, &why);
  plan.hostPrefix = hostPrefix;
  return plan;
}

const harness::FlowResult& Flow(const harness::RunReport& r, const std::string& name) {
  const harness::FlowResult* f = r.FindFlow(name);
  if (!f) throw std::runtime_error("no flow " + name);
  return *f;
}

uint64_t OnLink(const harness::FlowResult& f, const std::string& link) {
  uint64_t n = 0;
  for (const harness::LinkEvidence& e : f.evidence)
    if (e.link == link)
      for (const auto& [cls, packets] : e.packets) n += packets;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(address_plan)

BOOST_AUTO_TEST_CASE(defaults_are_the_installers_and_the_old_constants) {
  const sim::NetworkPlan plan;
  BOOST_TEST(plan.clusterNetwork.ToString() == "10.128.0.0/14");
  BOOST_TEST(plan.machineNetwork.ToString() == "10.0.0.0/16");
  BOOST_TEST(plan.NodeSubnets() == 512u);
  BOOST_TEST(plan.PodsPerNode() == 508u);
  const sim::AddressPlan a(plan);
  BOOST_TEST(a.NodeIp(0) == Ipv4Address("10.0.0.10"));
  BOOST_TEST(a.NodeSubnet(1) == Ipv4Address("10.128.2.0"));
  BOOST_TEST(a.RouterPortIp(1) == Ipv4Address("10.128.2.1"));
  BOOST_TEST(a.ManagementPortIp(1) == Ipv4Address("10.128.2.2"));
  BOOST_TEST(a.PodIp(1, 0) == Ipv4Address("10.128.2.3"));
  BOOST_TEST(a.NodeSubnet(511) == Ipv4Address("10.131.254.0"));
  BOOST_TEST(a.NodeOfPodIp(Ipv4Address("10.131.255.254")) == 511u);
  BOOST_TEST(a.HostOffset(Ipv4Address("10.128.3.254")) == 510u);
  BOOST_TEST(Ipv4Address(plan.NatPublicAddress(0)) == Ipv4Address("10.0.254.1"));
  BOOST_TEST(plan.NodeIps(false) == 65525u);  // 10.0.0.10 .. 10.0.255.254
  BOOST_TEST(plan.NodeIps(true) == 65015u);   // 10.0.0.10 .. 10.0.254.0
}

BOOST_AUTO_TEST_CASE(nat_addresses_follow_the_machine_network) {
  std::string why;
  sim::NetworkPlan plan;
  plan.machineNetwork = *sim::ParseIpv4Cidr("192.168.0.0/20", &why);
  BOOST_TEST(sim::Ipv4Text(plan.NatPublicAddress(1)) == "192.168.14.2");
  BOOST_TEST(plan.NodeIps(true) == 3575u);  // 192.168.0.10 .. 192.168.14.0
  plan.machineNetwork = *sim::ParseIpv4Cidr("192.168.0.0/24", &why);
  BOOST_TEST(plan.NatAddresses() == 0u);
  BOOST_TEST(plan.NodeIps(false) == 245u);  // .10 .. .254
}

// The silent drop: node 513's subnet is outside 10.128.0.0/14, so its pods
// were not in the cluster network at all; a /13 holds it.
BOOST_AUTO_TEST_CASE(node_subnets_follow_the_cluster_network_and_host_prefix) {
  const sim::AddressPlan wide(Plan("10.128.0.0/13", 23));
  BOOST_TEST(wide.NodeSubnet(513) == Ipv4Address("10.132.2.0"));
  BOOST_TEST(wide.InClusterNetwork(wide.PodIp(513, 0)));
  BOOST_TEST(wide.NodeOfPodIp(wide.PodIp(599, 7)) == 599u);
  BOOST_TEST(!sim::AddressPlan().InClusterNetwork(wide.PodIp(513, 0)));

  const sim::NetworkPlan p24 = Plan("10.128.0.0/14", 24);
  BOOST_TEST(p24.NodeSubnets() == 1024u);
  BOOST_TEST(p24.PodsPerNode() == 252u);
  const sim::AddressPlan a24(p24);
  BOOST_TEST(a24.NodeSubnet(1) == Ipv4Address("10.128.1.0"));
  BOOST_TEST(a24.NodeOfPodIp(Ipv4Address("10.131.255.254")) == 1023u);
  BOOST_TEST(sim::ClusterPrefixFor(2048, 23) == 12);
  BOOST_TEST(sim::ClusterPrefixFor(513, 23) == 13);
}

BOOST_AUTO_TEST_CASE(cidrs_are_parsed_strictly) {
  std::string why;
  BOOST_TEST(sim::ParseIpv4Cidr("10.128.0.0/14", &why)->prefix == 14);
  BOOST_TEST(!sim::ParseIpv4Cidr("10.128.0.1/14", &why));
  BOOST_TEST(why.find("expecting 10.128.0.0/14") != std::string::npos);
  BOOST_TEST(!sim::ParseIpv4Cidr("10.256.0.0/16", &why));
  BOOST_TEST(!sim::ParseIpv4Cidr("10.0.0.0/33", &why));
  BOOST_TEST(!sim::ParseIpv4Cidr("10.0.0.0", &why));
  BOOST_TEST(!sim::ParseIpv4Cidr("fd00::/64", &why));
  BOOST_TEST(!sim::ParseIpv4Cidr("0.0.0.0/0", &why));
}

// 600 nodes, IPsec Disabled, cluster network 10.128.0.0/13: flows from a pod
// on worker-1 to pods on worker-0, worker-513 and worker-599 are delivered,
// in clear Geneve on the destination's link.
BOOST_AUTO_TEST_CASE(pods_beyond_node_512_are_reached_in_a_wider_cluster_network) {
  const std::string yaml =
      "name: wide-600\n"
      "cluster:\n"
      "  network: {cluster_network: 10.128.0.0/13, host_prefix: 23}\n"
      "  pools: [{name: worker, nodes: 600}]\n"
      "pods:\n"
      "  - {name: src, node: worker-1}\n"
      "  - {name: d0, node: worker-0}\n"
      "  - {name: d513, node: worker-513}\n"
      "  - {name: d599, node: worker-599}\n"
      "flows:\n"
      "  - {name: to-0, from: src, to: d0, packets: 20, size: 200}\n"
      "  - {name: to-513, from: src, to: d513, packets: 20, size: 200}\n"
      "  - {name: to-599, from: src, to: d599, packets: 20, size: 200}\n"
      "  - {name: from-599, from: d599, to: d513, packets: 20, size: 200}\n"
      "expect:\n"
      "  - {flow: to-0, verdict: plaintext}\n"
      "  - {flow: to-513, verdict: plaintext}\n"
      "  - {flow: to-599, verdict: plaintext}\n"
      "  - {flow: from-599, verdict: plaintext}\n";
  const harness::RunReport r =
      harness::RunScenario(harness::LoadScenarioText(yaml, "wide-600.yaml"), harness::RunOptions{});
  BOOST_TEST(r.AllExpectationsPass());
  for (const auto& [flow, link] : {std::pair{"to-0", "worker-0/eth0"},
                                   {"to-513", "worker-513/eth0"},
                                   {"to-599", "worker-599/eth0"},
                                   {"from-599", "worker-513/eth0"}}) {
    BOOST_TEST_CONTEXT(flow) {
      const harness::FlowResult& f = Flow(r, flow);
      BOOST_TEST(f.verdict == "plaintext");
      BOOST_TEST(f.sent == 20u);
      BOOST_TEST(f.delivered == 20u);
      BOOST_TEST(f.clearPackets > 0u);
      BOOST_TEST(OnLink(f, link) > 0u);
    }
  }
}

// Other networks than the defaults reach IKE and the kernels: IPsec Full on
// a 172.16.0.0/24 machine network with a /24 per node of 10.200.0.0/16.
BOOST_AUTO_TEST_CASE(ipsec_runs_between_node_ips_of_the_given_machine_network) {
  const std::string yaml =
      "name: other-networks\n"
      "cluster:\n"
      "  ipsec: {mode: Full}\n"
      "  network: {cluster_network: 10.200.0.0/16, host_prefix: 24, "
      "machine_network: 172.16.0.0/24}\n"
      "  pools: [{name: worker, nodes: 3}]\n"
      "pods:\n"
      "  - {name: a, node: worker-0}\n"
      "  - {name: b, node: worker-2}\n"
      "flows:\n"
      "  - {name: a-to-b, from: a, to: b, packets: 20, size: 200}\n"
      "expect:\n"
      "  - {flow: a-to-b, verdict: encrypted}\n";
  const harness::RunReport r = harness::RunScenario(
      harness::LoadScenarioText(yaml, "other-networks.yaml"), harness::RunOptions{});
  BOOST_TEST(r.AllExpectationsPass());
  BOOST_TEST(Flow(r, "a-to-b").delivered == 20u);
  size_t states = 0;
  for (const harness::NodeCounters& node : r.nodes) {
    for (const harness::ChildSaView& sa : node.childSas) {
      BOOST_TEST(sa.src.rfind("172.16.0.1", 0) == 0u);  // 172.16.0.10 .. .12
      BOOST_TEST(sa.dst.rfind("172.16.0.1", 0) == 0u);
      ++states;
    }
  }
  BOOST_TEST(states == 24u);  // 4 x (N - 1) per node
}

BOOST_AUTO_TEST_SUITE_END()
