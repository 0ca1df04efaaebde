// The external-endpoint reference scenarios on the simulated cluster: every
// expectation from the wire holds, and the mechanism behind each shows in
// the hosts' kernels and plutos as the scenario says.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>

#include "runner.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

RunReport RunFile(const std::string& name) {
  const RunReport r = RunScenario(LoadScenarioFile("scenarios/" + name + ".yaml"), RunOptions{});
  for (const ExpectationResult& e : r.expectations) BOOST_TEST_CONTEXT(name << " " << e.flow) {
      BOOST_TEST(e.actual == e.expected);
    }
  BOOST_TEST(r.AllExpectationsPass());
  return r;
}

const NodeCounters& Node(const RunReport& r, const std::string& name) {
  for (const NodeCounters& n : r.nodes)
    if (n.node == name) return n;
  throw std::runtime_error("no node " + name);
}

uint64_t Stat(const NodeCounters& n, const std::string& counter) {
  auto it = n.xfrmStat.find(counter);
  return it == n.xfrmStat.end() ? 0 : it->second;
}

bool Says(const std::vector<std::string>& lines, const std::string& part) {
  for (const std::string& line : lines)
    if (line.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(external_scenarios)

BOOST_AUTO_TEST_CASE(documented_every_node_has_an_instance_at_the_host) {
  const RunReport r = RunFile("external-endpoint-documented");
  const NodeCounters& host = Node(r, "ext-0");
  BOOST_TEST(host.external);
  BOOST_TEST(host.connectionsUp == 3u);  // cluster-nodes[1..3]
  // The pod's SNATed egress arrived in clear against the node's policy.
  BOOST_TEST(Stat(host, "XfrmInTmplMismatch") == 20u);
  for (const char* node : {"master-0", "worker-0", "worker-1"})
    BOOST_TEST(Says(Node(r, node).plutoLog, "\"external\": added IKEv2 connection"));
}

BOOST_AUTO_TEST_CASE(shared_identity_the_host_keeps_only_the_last_node) {
  const RunReport r = RunFile("external-endpoint-shared-identity");
  const NodeCounters& host = Node(r, "ext-0");
  BOOST_TEST(host.connectionsUp == 1u);
  BOOST_TEST(Says(host.ipsecStatus, "\"cluster-nodes[3]\": up"));
  // master-0 and worker-0 still send on SAs the host dropped without a word.
  BOOST_TEST(Stat(host, "XfrmInNoStates") == 40u);
  BOOST_TEST(Node(r, "master-0").connectionsUp >= 1u);
}

BOOST_AUTO_TEST_CASE(friendlyname_pluto_refuses_the_conn) {
  const RunReport r = RunFile("external-endpoint-friendlyname");
  BOOST_TEST(Says(Node(r, "worker-0").plutoLog,
                  "left certificate 'left_server' not found in the NSS database"));
  BOOST_TEST(
      Says(Node(r, "worker-0").plutoLog, "could not find certificate named \"left_server\""));
  // The check on the same files predicted it, and names the flows it explains.
  bool linked = false;
  for (const ExternalFinding& f : r.externalFindings)
    if (f.level == "error" && f.topic == "nickname" &&
        f.text.find("leftcert=left_server is not in the node's NSS database") != std::string::npos)
      linked = f.pool == "worker" &&
               f.flows == std::vector<std::string>{"node-to-external-udp", "external-to-node-udp"};
  BOOST_TEST(linked);
}

BOOST_AUTO_TEST_CASE(untrusted_ca_fails_ike_auth) {
  const RunReport r = RunFile("external-endpoint-untrusted-ca");
  BOOST_TEST(Says(Node(r, "worker-0").ipsecStatus, "AUTHENTICATION_FAILED"));
  BOOST_TEST(Node(r, "ext-0").connectionsUp == 0u);
}

BOOST_AUTO_TEST_CASE(syntax_error_keeps_the_workers_pluto_from_starting) {
  const RunReport r = RunFile("external-endpoint-syntax-error");
  for (const char* worker : {"worker-0", "worker-1"}) {
    BOOST_TEST(Says(Node(r, worker).plutoLog, "syntax error [auto-start]"));
    BOOST_TEST(Node(r, worker).ipsecStatus.empty());
    BOOST_TEST(Node(r, worker).policyCount == 0u);
  }
  BOOST_TEST(Node(r, "master-0").policyCount > 0u);
}

BOOST_AUTO_TEST_CASE(a_conn_named_like_a_tunnel_is_deleted_by_ovs_monitor_ipsec) {
  const RunReport r = RunFile("external-endpoint-tunnel-like-name");
  for (const char* worker : {"worker-0", "worker-1"})
    BOOST_TEST(!Says(Node(r, worker).ipsecStatus, "external-1"));
  // The Delete reached the host: its instances went too.
  BOOST_TEST(Node(r, "ext-0").connectionsUp == 0u);
}

BOOST_AUTO_TEST_CASE(tunnel_mode_costs_the_inner_header_and_no_fragments) {
  const RunReport r = RunFile("external-endpoint-tunnel-mode");
  const FlowResult* udp = r.FindFlow("node-to-external-udp");
  BOOST_REQUIRE(udp);
  BOOST_TEST(udp->wire.bytes == 20u * 484u);  // transport mode: 464 each
  BOOST_TEST(r.FindFlow("external-to-node-tcp")->wire.fragments == 0u);
}

BOOST_AUTO_TEST_CASE(ovns_default_makes_the_nodes_conn_transport_against_a_tunnel_host) {
  const RunReport r = RunFile("external-endpoint-ovn-default");
  BOOST_TEST(Says(Node(r, "worker-0").ipsecStatus, "NO_PROPOSAL_CHOSEN"));
}

// Packets of the flow of class `cls` on every link it crossed.
uint64_t OnWire(const FlowResult& f, const std::string& cls) {
  uint64_t n = 0;
  for (const LinkEvidence& link : f.evidence)
    if (auto it = link.packets.find(cls); it != link.packets.end()) n += it->second;
  return n;
}

BOOST_AUTO_TEST_CASE(a_user_default_reaches_ovns_conns_on_the_wire) {
  const RunReport r = RunFile("external-endpoint-user-default");
  // Every pair has a worker in it: each pod-to-pod Child SA is ESP in UDP
  // 4500, 8 bytes more per packet than in the documented scenario.
  for (const char* name :
       {"pod-worker-to-worker", "pod-worker-to-master", "pod-master-to-worker"}) {
    const FlowResult* f = r.FindFlow(name);
    BOOST_REQUIRE(f);
    BOOST_TEST(OnWire(*f, "esp-in-udp") == 40u, name);
    BOOST_TEST(OnWire(*f, "esp") == 0u, name);
    BOOST_TEST(f->wire.bytes == 20u * 928u, name);
  }
  // The master's own file has no %default: its conn to the host is plain ESP.
  BOOST_TEST(OnWire(*r.FindFlow("master-to-external"), "esp") == 40u);
  BOOST_TEST(
      Says(Node(r, "worker-0").plutoLog, "encapsulation=yes reaches OVN's pod-to-pod conns"));
  BOOST_TEST(!Says(Node(r, "master-0").plutoLog, "reaches OVN's"));
  // The check's %default error is linked to the pod flows it explains.
  bool linked = false;
  for (const ExternalFinding& f : r.externalFindings)
    if (f.topic == "interference" && f.text.find("conn %default:") != std::string::npos)
      linked = std::find(f.flows.begin(), f.flows.end(), "pod-worker-to-worker") != f.flows.end();
  BOOST_TEST(linked);
  // The same pod traffic without the %default: plain ESP, 920 bytes a packet.
  const RunReport control = RunFile("external-endpoint-documented");
  BOOST_TEST(OnWire(*control.FindFlow("pod-to-pod-cross-node-udp"), "esp") == 40u);
  BOOST_TEST(control.FindFlow("pod-to-pod-cross-node-udp")->wire.bytes == 20u * 920u);
}

// The documentation's CN rule is an error finding; the 4.15 host pod runs
// ovs-monitor-ipsec with --no-restart-ike-daemon, so nothing deletes the
// bundle and the wire is unaffected.
BOOST_AUTO_TEST_CASE(an_ovs_cn_is_an_error_finding_and_breaks_nothing_on_4_15) {
  const RunReport r = RunFile("external-endpoint-ovs-cn");
  bool found = false;
  for (const ExternalFinding& f : r.externalFindings)
    found |= f.level == "error" && f.topic == "cn-prefix" && f.pool == "worker" &&
             f.text.find("CN=ovs_endpoint begins with ovs_") != std::string::npos;
  BOOST_TEST(found);
  BOOST_TEST(Node(r, "ext-0").connectionsUp == 2u);  // the two workers
}

// A security group in front of the host that opens IKE only: every IKE SA
// comes up, the nodes' ESP is dropped at the group, the host's own passes.
BOOST_AUTO_TEST_CASE(a_firewall_open_for_ike_only_black_holes_the_nodes_esp) {
  const RunReport r = RunFile("external-endpoint-firewall-esp");
  BOOST_TEST(Node(r, "ext-0").connectionsUp == 3u);
  BOOST_TEST(Node(r, "worker-0").connectionsUp >= 1u);
  BOOST_TEST(Stat(Node(r, "ext-0"), "XfrmInNoStates") == 0u);  // nothing reached it
  // Without the group the same flow is ESP end to end.
  Scenario open = LoadScenarioFile("scenarios/external-endpoint-firewall-esp.yaml");
  open.underlay.firewalls.clear();
  const RunReport control = RunScenario(open, RunOptions{});
  BOOST_TEST(control.FindFlow("node-to-external-udp")->verdict == "encrypted");
}

// Two MachineConfigs for the workers, each half of the documented one: the
// pool boots with their merge, and the check reads them together too.
BOOST_AUTO_TEST_CASE(a_roles_machineconfigs_are_merged_as_the_mco_renders_them) {
  const RunReport r = RunFile("external-endpoint-split-machineconfigs");
  BOOST_TEST(Node(r, "ext-0").connectionsUp == 2u);  // the two workers
  BOOST_TEST(Says(Node(r, "worker-0").plutoLog, "\"external\": added IKEv2 connection"));
  for (const ExternalFinding& f : r.externalFindings)
    BOOST_TEST(f.topic != "machineconfig", f.text);  // neither half is checked alone
  // One half alone: no certificate, so pluto refuses the conn.
  Scenario half = LoadScenarioFile("scenarios/external-endpoint-split-machineconfigs.yaml");
  half.external->machineConfigs.pop_back();  // the certificates' half
  const RunReport alone = RunScenario(half, RunOptions{});
  BOOST_TEST(alone.FindFlow("worker-to-external-udp")->verdict == "plaintext");
}

// Local gateway mode: the host masquerades pod egress and its xfrm encrypts
// it. The same scenario in shared mode sends it in clear (the host drops
// it); without the MachineConfigs the host masquerades it in clear.
BOOST_AUTO_TEST_CASE(local_gateway_encrypts_pod_egress_shared_does_not) {
  const RunReport local = RunFile("external-endpoint-local-gateway");
  BOOST_TEST(Node(local, "ext-0").connectionsUp == 3u);
  Scenario sc = LoadScenarioFile("scenarios/external-endpoint-local-gateway.yaml");
  sc.cluster.gatewayMode = ipsecsim::sim::GatewayMode::kShared;
  const RunReport shared = RunScenario(sc, RunOptions{});
  BOOST_TEST(shared.FindFlow("pod-to-external-udp")->verdict == "dropped");
  BOOST_TEST(shared.FindFlow("node-to-external-udp")->verdict == "encrypted");
  Scenario bare = LoadScenarioFile("scenarios/external-endpoint-local-gateway.yaml");
  bare.external->machineConfigs.clear();
  const RunReport clear = RunScenario(bare, RunOptions{});
  for (const char* flow : {"pod-to-external-udp", "pod-to-external-tcp", "pod-to-external-icmp"}) {
    BOOST_TEST(clear.FindFlow(flow)->verdict == "plaintext", flow);
    BOOST_TEST(clear.FindFlow(flow)->delivered == clear.FindFlow(flow)->sent, flow);
  }
}

BOOST_AUTO_TEST_SUITE_END()
