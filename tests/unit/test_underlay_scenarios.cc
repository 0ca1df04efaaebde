// The underlay reference scenarios, run on the simulated cluster: verdicts
// from the wire, the evidence classes that show how the traffic crossed
// (ESP or ESP in UDP 4500), what the firewalls and NATs counted, and how the
// preflight's findings are linked to the flows they explain.
#include <boost/test/unit_test.hpp>
#include <map>
#include <string>

#include "ike_daemon.h"
#include "runner.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

RunReport RunFile(const std::string& name) {
  return RunScenario(LoadScenarioFile("scenarios/" + name + ".yaml"), RunOptions{});
}

const FlowResult& Flow(const RunReport& r, const std::string& name) {
  const FlowResult* f = r.FindFlow(name);
  if (!f) throw std::runtime_error("no flow " + name);
  return *f;
}

// Packets of a class over all links of a flow's evidence.
uint64_t ClassTotal(const FlowResult& f, const std::string& cls) {
  uint64_t n = 0;
  for (const LinkEvidence& e : f.evidence) {
    auto it = e.packets.find(cls);
    if (it != e.packets.end()) n += it->second;
  }
  return n;
}

const PreflightFinding* Finding(const RunReport& r, const std::string& id) {
  for (const PreflightFinding& f : r.preflight)
    if (f.id == id) return &f;
  return nullptr;
}

bool HasLine(const RunReport& r, const std::string& part) {
  for (const std::string& line : r.underlayFilters)
    if (line.find(part) != std::string::npos) return true;
  return false;
}

void CheckVerdicts(const RunReport& r) {
  BOOST_TEST(r.AllExpectationsPass());
  for (const ExpectationResult& e : r.expectations) {
    BOOST_TEST_CONTEXT(e.flow << ": " << Flow(r, e.flow).explanation) {
      BOOST_TEST(e.actual == e.expected);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(underlay_scenarios)

BOOST_AUTO_TEST_CASE(firewall_denying_esp_drops_cross_node_traffic_with_encapsulation_auto) {
  const RunReport r = RunFile("firewall-esp-blocked-auto");
  CheckVerdicts(r);
  const FlowResult& ab = Flow(r, "a-to-b-udp");
  BOOST_TEST(ab.verdict == "dropped");
  BOOST_TEST(ab.delivered == 0u);
  // ESP was put on the wire (not held for lack of an SA): IKE got through.
  BOOST_TEST(ClassTotal(ab, "esp") > 0u);
  BOOST_TEST(ClassTotal(ab, "esp-in-udp") == 0u);
  BOOST_TEST(Flow(r, "a-to-c-udp").verdict == "encrypted");
  BOOST_TEST(r.mtuBudget.protection == "esp");
  BOOST_TEST(
      HasLine(r, "rule 3 (deny proto 50) on link worker-1/eth0 (firewall sg-workers, both)"));
  // ESP into and out of worker-1, each for every peer, by rule 3, affecting IPsec.
  BOOST_REQUIRE(r.preflight.size() == 2u);
  for (const PreflightFinding& f : r.preflight) {
    BOOST_TEST_CONTEXT(f.text) {
      BOOST_TEST(f.traffic == "esp");
      BOOST_TEST(f.status == "blocked");
      BOOST_TEST(f.affectsIpsec);
      BOOST_TEST(f.cause.find("firewall sg-workers") == 0u);
      BOOST_TEST(f.cause.find("rule 3 (deny proto 50)") != std::string::npos);
      BOOST_TEST(f.consequence.find("encapsulation Auto: ESP is not encapsulated") == 0u);
      BOOST_TEST(((f.from == "*" && f.to == "worker-1") || (f.from == "worker-1" && f.to == "*")));
    }
  }
  const PreflightFinding* p1 = Finding(r, "P1");
  BOOST_REQUIRE(p1);
  BOOST_TEST(p1->text ==
             "ESP (IP protocol 50) blocked every other node → worker-1 by firewall sg-workers "
             "(inbound on worker-1) rule 3 (deny proto 50); encapsulation Auto: ESP is not "
             "encapsulated (no NAT between them), so Geneve from every other node to worker-1 is "
             "dropped");
  // Links both ways: the dropped flows name the findings that explain them,
  // and the findings name the flows; the flow that avoids worker-1 has none.
  // TCP needs ESP both ways (its replies).
  // a-to-b-udp needs ESP only into worker-1 (P1), not out of it (P2).
  BOOST_TEST(ab.preflight == (std::vector<std::string>{"P1"}), boost::test_tools::per_element());
  BOOST_TEST(ab.explanation.find("; see preflight P1") != std::string::npos, ab.explanation);
  BOOST_TEST(Flow(r, "b-to-c-tcp").preflight == (std::vector<std::string>{"P1", "P2"}),
             boost::test_tools::per_element());
  BOOST_TEST(Flow(r, "a-to-c-udp").preflight.empty());
  BOOST_TEST(p1->flows == (std::vector<std::string>{"a-to-b-udp", "b-to-c-tcp"}),
             boost::test_tools::per_element());
  BOOST_TEST(Finding(r, "P2")->flows == (std::vector<std::string>{"b-to-c-tcp"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_outbound_firewall_stops_one_direction_and_the_replies_that_need_it) {
  const RunReport r = RunScenario(LoadScenarioText(R"(
name: outbound-only
seed: 3
cluster:
  pools: [{name: worker, nodes: 2}]
  ipsec: {mode: Full}
underlay:
  firewalls:
    - {name: egress, nodes: [worker-1], direction: outbound, rules: [{action: deny, protocol: esp}]}
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
flows:
  - {name: a-to-b-udp, from: a, to: b, protocol: udp, port: 8080, packets: 10}
  - {name: b-to-a-udp, from: b, to: a, protocol: udp, port: 8081, packets: 10}
  - {name: a-to-b-tcp, from: a, to: b, protocol: tcp, port: 9000, packets: 10}
  - {name: a-to-node, from: a, to: worker-1, protocol: udp, port: 8082, packets: 10}
)",
                                                   "outbound.yaml"),
                                  RunOptions{});
  BOOST_REQUIRE(r.preflight.size() == 1u);
  const PreflightFinding& p1 = r.preflight[0];
  BOOST_TEST(p1.text ==
             "ESP (IP protocol 50) blocked worker-1 → worker-0 by firewall egress (outbound on "
             "worker-1) rule 1 (deny proto 50); encapsulation Auto: ESP is not encapsulated (no "
             "NAT between them), so Geneve from worker-1 to worker-0 is dropped");
  const FlowResult& ab = Flow(r, "a-to-b-udp");
  BOOST_TEST(ab.verdict == "encrypted");  // worker-0 -> worker-1 is not filtered
  BOOST_TEST(ab.delivered == ab.sent);
  BOOST_TEST(ab.preflight.empty());
  BOOST_TEST(Flow(r, "b-to-a-udp").verdict == "dropped");
  BOOST_TEST(Flow(r, "b-to-a-udp").preflight == std::vector<std::string>{"P1"},
             boost::test_tools::per_element());
  // TCP's SYN gets through, its SYN-ACK does not.
  BOOST_TEST(Flow(r, "a-to-b-tcp").verdict == "dropped");
  BOOST_TEST(Flow(r, "a-to-b-tcp").preflight == std::vector<std::string>{"P1"},
             boost::test_tools::per_element());
  // To the host network: in clear through the gateway, not IPsec's business.
  BOOST_TEST(Flow(r, "a-to-node").verdict == "plaintext");
  BOOST_TEST(Flow(r, "a-to-node").preflight.empty());
  BOOST_TEST(p1.flows == (std::vector<std::string>{"b-to-a-udp", "a-to-b-tcp"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_same_firewall_passes_everything_with_encapsulation_always) {
  const RunReport r = RunFile("firewall-esp-blocked-always");
  CheckVerdicts(r);
  for (const FlowResult& f : r.flows) {
    BOOST_TEST_CONTEXT(f.name) {
      BOOST_TEST(f.verdict == "encrypted");
      BOOST_TEST(f.delivered == f.sent);
      BOOST_TEST(ClassTotal(f, "esp") == 0u);
      BOOST_TEST(ClassTotal(f, "esp-in-udp") > 0u);
      BOOST_TEST(f.preflight.empty());
    }
  }
  // The rule is still there, but no ESP ever reached it.
  BOOST_TEST(r.preflight.size() == 2u);
  for (const PreflightFinding& f : r.preflight) {
    BOOST_TEST(!f.affectsIpsec);
    BOOST_TEST(f.consequence.find("not used: encapsulation Always") == 0u, f.consequence);
  }
  BOOST_TEST(!HasLine(r, "deny proto 50"));
}

BOOST_AUTO_TEST_CASE(nodes_behind_a_nat_talk_esp_in_udp_and_keepalives_hold_the_mapping) {
  const RunReport r = RunFile("nat-natt");
  CheckVerdicts(r);
  for (const std::string name : {"c-to-a-udp", "a-to-c-tcp", "a-to-c-late"}) {
    BOOST_TEST_CONTEXT(name) {
      const FlowResult& f = Flow(r, name);
      BOOST_TEST(f.delivered == f.sent);
      BOOST_TEST(ClassTotal(f, "esp-in-udp") > 0u);
      BOOST_TEST(ClassTotal(f, "esp") == 0u);
    }
  }
  // Between the two nodes outside the NAT: plain ESP (encapsulation Auto).
  BOOST_TEST(ClassTotal(Flow(r, "a-to-b-udp"), "esp") > 0u);
  BOOST_TEST(ClassTotal(Flow(r, "a-to-b-udp"), "esp-in-udp") == 0u);
  BOOST_TEST(r.underlayPackets.at("natt-keepalive") > 0u);
  BOOST_TEST(r.mtuBudget.protection == "esp-in-udp");  // the pairs with worker-2
  BOOST_TEST(HasLine(r, "nat-1 (public 10.0.254.1, in front of worker-2): inbound translated"));
  BOOST_TEST(!HasLine(r, "mapping expired"));
  // ESP blocked by the NAT and UDP only on worker-2's mappings: explained, not affecting.
  BOOST_TEST(!r.preflight.empty());
  for (const PreflightFinding& f : r.preflight) {
    BOOST_TEST_CONTEXT(f.text) {
      BOOST_TEST(!f.affectsIpsec);
      BOOST_TEST(f.flows.empty());
      BOOST_TEST(f.cause.find("nat nat-1 in front of worker-2") == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(without_keepalives_the_nat_mapping_expires_and_late_traffic_is_dropped) {
  const RunReport r = RunFile("nat-keepalive-off");
  CheckVerdicts(r);
  const FlowResult& early = Flow(r, "b-to-a-early");
  const FlowResult& late = Flow(r, "a-to-b-late");
  BOOST_TEST(early.verdict == "encrypted");
  BOOST_TEST(late.verdict == "dropped");
  // worker-0 still sends ESP in UDP 4500 to the NAT; the NAT drops all of it.
  BOOST_TEST(ClassTotal(late, "esp-in-udp") == 2 * late.sent);
  BOOST_TEST(HasLine(r, "inbound dropped, mapping expired 10"));
  BOOST_TEST(r.underlayPackets.count("natt-keepalive") == 0u);
  const PreflightFinding* expiry = nullptr;
  for (const PreflightFinding& f : r.preflight)
    if (f.status == "expires") expiry = &f;
  BOOST_REQUIRE(expiry);
  BOOST_TEST(expiry->from == "worker-0");
  BOOST_TEST(expiry->to == "worker-1");
  BOOST_TEST(expiry->affectsIpsec);
  BOOST_TEST(expiry->consequence.find("nat_keepalive 0 (no keepalives)") == 0u);
  BOOST_TEST(late.preflight == (std::vector<std::string>{expiry->id}),
             boost::test_tools::per_element());
  BOOST_TEST(early.preflight.empty());  // expiry bears only on traffic towards worker-1
}

BOOST_AUTO_TEST_CASE(nodes_behind_two_different_nats_cannot_reach_each_other) {
  const RunReport r = RunScenario(LoadScenarioText(R"(
name: two-nats
seed: 5
cluster:
  pools: [{name: worker, nodes: 3}]
  ipsec: {mode: Full}
underlay:
  nats:
    - {name: nat-a, nodes: [worker-1]}
    - {name: nat-b, nodes: [worker-2]}
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
  - {name: c, node: worker-2}
flows:
  - {name: b-to-c, from: b, to: c, protocol: udp, port: 8080, packets: 10}
  - {name: b-to-a, from: b, to: a, protocol: udp, port: 8080, packets: 10}
  - {name: a-to-c, from: a, to: c, protocol: udp, port: 8080, packets: 10}
)",
                                                   "two-nats.yaml"),
                                  RunOptions{});
  // Each NATed node reaches worker-0; neither can open the other's mapping.
  BOOST_TEST(Flow(r, "b-to-a").verdict == "encrypted");
  BOOST_TEST(Flow(r, "a-to-c").verdict == "encrypted");
  const FlowResult& bc = Flow(r, "b-to-c");
  BOOST_TEST(bc.verdict == "dropped");
  BOOST_TEST(bc.protectedPackets == 0u);  // no SA: nothing protected left worker-1
  BOOST_TEST(HasLine(r, "nat-b (public 10.0.254.2, in front of worker-2): inbound dropped"));
  // The preflight says why: IKE only as replies, both ways (500 and 4500).
  std::vector<std::string> ids;
  for (const PreflightFinding& f : r.preflight) {
    if (f.status == "reply-only" && f.affectsIpsec) ids.push_back(f.id);
  }
  BOOST_TEST(ids.size() == 4u);
  BOOST_TEST(bc.preflight == ids, boost::test_tools::per_element());
  BOOST_TEST(Flow(r, "b-to-a").preflight.empty());
}

BOOST_AUTO_TEST_CASE(nat_keepalive_sets_the_period_of_the_daemons_of_the_run_only) {
  Scenario sc = LoadScenarioFile("scenarios/nat-natt.yaml");
  const RunReport every20 = RunScenario(sc, RunOptions{});
  sc.cluster.natKeepaliveSeconds = 5;
  const RunReport every5 = RunScenario(sc, RunOptions{});
  // worker-2's 4 floated IKE SAs (2 per peer), each seen on 2 taps (NIC and
  // switch port), in the 48.1 s run after floating at about 0.03 s.
  BOOST_TEST(every20.underlayPackets.at("natt-keepalive") == 4u * 2u * 2u);  // 20, 40 s
  BOOST_TEST(every5.underlayPackets.at("natt-keepalive") == 4u * 9u * 2u);   // 5 .. 45 s
  BOOST_TEST(every5.AllExpectationsPass());
  // Daemons created after the run get Libreswan's default again.
  ns3::Ptr<ipsecsim::ike::IkeDaemon> daemon = ns3::CreateObject<ipsecsim::ike::IkeDaemon>();
  ns3::TimeValue period;
  daemon->GetAttribute("NattKeepaliveInterval", period);
  BOOST_TEST(period.Get() == ns3::Seconds(20));
}

BOOST_AUTO_TEST_CASE(link_loss_and_firewalls_filter_the_same_links) {
  Scenario sc = LoadScenarioFile("scenarios/firewall-esp-blocked-auto.yaml");
  sc.cluster.linkLoss = 0.1;
  sc.flows[2].packets = 200;  // a-to-c-udp: worker-0 -> worker-2, no firewall
  const RunReport r = RunScenario(sc, RunOptions{});
  const FlowResult& ac = Flow(r, "a-to-c-udp");
  // Lost on the wire (about 10 % where the switch port receives), still encrypted.
  BOOST_TEST(ac.verdict == "encrypted");
  BOOST_TEST(ac.delivered > 120u);
  BOOST_TEST(ac.delivered < 200u);
  BOOST_TEST(Flow(r, "a-to-b-udp").verdict == "dropped");
  BOOST_TEST(HasLine(r, "rule 3 (deny proto 50) on link worker-1/eth0"));
}

BOOST_AUTO_TEST_CASE(ibmcloud_with_link_loss_runs_encrypted) {
  Scenario sc = LoadScenarioFile("scenarios/ibmcloud-full.yaml");
  sc.cluster.linkLoss = 0.1;
  const RunReport r = RunScenario(sc, RunOptions{});
  const FlowResult& f = Flow(r, "pod-to-pod-udp");
  BOOST_TEST(f.verdict == "encrypted");
  BOOST_TEST(f.delivered < f.sent);
  BOOST_TEST(ClassTotal(f, "esp") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
