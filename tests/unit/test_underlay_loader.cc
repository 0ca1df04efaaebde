// The scenario's `underlay:` section and `ipsec.full.nat_keepalive`: every
// key parsed, and every bad input named by line, key and what was expected.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "scenario.h"

using namespace ipsecsim::harness;

namespace ipsecsim::harness {
// So that Boost.Test can print the enum when a comparison fails.
std::ostream& operator<<(std::ostream& out, FirewallDirection d) { return out << ToString(d); }
}  // namespace ipsecsim::harness

namespace {

// Line numbers below refer to this text.
const std::string kValid =
    "name: underlay\n"                                                         // 1
    "cluster:\n"                                                               // 2
    "  pools: [{name: worker, nodes: 3}]\n"                                    // 3
    "  version: \"4.16\"\n"                                                    // 4: full needs 4.16
    "  ipsec: {mode: Full, full: {encapsulation: Auto, nat_keepalive: 5s}}\n"  // 5
    "underlay:\n"                                                              // 6
    "  firewalls:\n"                                                           // 7
    "    - name: sg-1\n"                                                       // 8
    "      nodes: [worker-0, worker-1]\n"                                      // 9
    "      direction: inbound\n"                                               // 10
    "      default: deny\n"                                                    // 11
    "      rules:\n"                                                           // 12
    "        - {action: allow, protocol: udp, port: 500}\n"                    // 13
    "        - {action: allow, protocol: tcp, port: \"30000-32767\"}\n"        // 14
    "        - {action: deny, protocol: esp}\n"                                // 15
    "        - {action: allow}\n"                                              // 16
    "  nats:\n"                                                                // 17
    "    - {name: nat-1, nodes: [worker-2], udp_timeout: 45s}\n";              // 18

std::string Edit(const std::string& from, const std::string& to) {
  std::string text = kValid;
  const size_t at = text.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "test text lacks '" << from << "'");
  return text.replace(at, from.size(), to);
}

struct BadInput {
  std::string what;
  std::string yaml;
  int line;
  std::string key;
  std::string fragment;
};

std::vector<BadInput> BadInputs() {
  const std::string nat = "    - {name: nat-1, nodes: [worker-2], udp_timeout: 45s}\n";
  return {
      {"unknown underlay key", Edit("  nats:\n", "  nat:\n"), 17, "underlay.nat",
       "did you mean 'nats'"},
      {"unknown rule key", Edit("{action: deny, protocol: esp}", "{action: deny, proto: esp}"), 15,
       "underlay.firewalls[0].rules[2].proto", "allowed keys: action, protocol, port"},
      {"nodes not a list", Edit("nodes: [worker-0, worker-1]", "nodes: worker-0"), 9,
       "underlay.firewalls[0].nodes", "expected a list of node names"},
      {"unknown node", Edit("[worker-0, worker-1]", "[worker-0, worker-4]"), 9,
       "underlay.firewalls[0].nodes[1]", "expected a node of the cluster, got 'worker-4'"},
      {"unknown node behind a NAT", Edit("nodes: [worker-2]", "nodes: [master-0]"), 18,
       "underlay.nats[0].nodes[0]", "got 'master-0'"},
      {"node listed twice", Edit("[worker-0, worker-1]", "[worker-0, worker-0]"), 9,
       "underlay.firewalls[0].nodes[1]", "'worker-0' repeats"},
      {"no nodes", Edit("[worker-0, worker-1]", "[]"), 9, "underlay.firewalls[0].nodes",
       "at least one node"},
      {"port on esp",
       Edit("{action: deny, protocol: esp}", "{action: deny, protocol: esp, port: 50}"), 15,
       "underlay.firewalls[0].rules[2].port", "ports apply to udp and tcp"},
      {"port on any", Edit("{action: allow}", "{action: allow, port: 80}"), 16,
       "underlay.firewalls[0].rules[3].port", "no port for protocol any"},
      {"range out of order", Edit("30000-32767", "32767-30000"), 14,
       "underlay.firewalls[0].rules[1].port", "first <= last"},
      {"port zero", Edit("port: 500}", "port: 0}"), 13, "underlay.firewalls[0].rules[0].port",
       "1..65535"},
      {"bad action", Edit("{action: deny,", "{action: drop,"), 15,
       "underlay.firewalls[0].rules[2].action", "allow, deny"},
      {"bad protocol", Edit("protocol: esp}", "protocol: ah}"), 15,
       "underlay.firewalls[0].rules[2].protocol", "any, esp, udp, tcp, icmp"},
      {"bad direction", Edit("direction: inbound", "direction: ingress"), 10,
       "underlay.firewalls[0].direction", "inbound, outbound, both"},
      {"missing action", Edit("{action: allow}", "{protocol: udp}"), 16,
       "underlay.firewalls[0].rules[3].action", "missing"},
      {"duplicate names", Edit("{name: nat-1,", "{name: sg-1,"), 18, "underlay.nats[0].name",
       "'sg-1' is defined twice"},
      {"two nodes behind one NAT", Edit("nodes: [worker-2]", "nodes: [worker-1, worker-2]"), 18,
       "underlay.nats[0].nodes", "exactly one node"},
      {"a node behind two NATs", Edit(nat, nat + "    - {name: nat-2, nodes: [worker-2]}\n"), 19,
       "underlay.nats[1].nodes", "'worker-2' is already behind 'nat-1'"},
      {"udp timeout zero", Edit("udp_timeout: 45s", "udp_timeout: 0"), 18,
       "underlay.nats[0].udp_timeout", "above 0"},
      {"udp timeout without unit", Edit("udp_timeout: 45s", "udp_timeout: 45"), 18,
       "underlay.nats[0].udp_timeout", "duration"},
      {"negative keepalive", Edit("nat_keepalive: 5s", "nat_keepalive: -5s"), 5,
       "cluster.ipsec.full.nat_keepalive", "not negative"},
      {"encapsulation Always with mode Disabled",
       Edit("{mode: Full, full: {encapsulation: Auto",
            "{mode: Disabled, full: {encapsulation: Always"),
       5, "cluster.ipsec.full", "only together with mode: Full, but mode is Disabled"},
      {"encapsulation Always without a mode",
       Edit("{mode: Full, full: {encapsulation: Auto", "{full: {encapsulation: Always"), 5,
       "cluster.ipsec.full", "but mode is not set"},
      {"underlay not a map",
       "name: u\ncluster:\n  pools: [{name: worker, nodes: 1}]\nunderlay: [1]\n", 4, "underlay",
       "expected an underlay map"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(underlay_loader)

BOOST_AUTO_TEST_CASE(every_key_is_parsed) {
  const Scenario sc = LoadScenarioText(kValid, "u.yaml");
  BOOST_TEST(sc.cluster.natKeepaliveSeconds == 5.0);
  BOOST_REQUIRE(sc.underlay.firewalls.size() == 1u);
  const FirewallSpec& fw = sc.underlay.firewalls[0];
  BOOST_TEST(fw.name == "sg-1");
  BOOST_TEST(fw.nodes == (std::vector<std::string>{"worker-0", "worker-1"}),
             boost::test_tools::per_element());
  BOOST_TEST(fw.direction == FirewallDirection::kInbound);
  BOOST_TEST(!fw.defaultAllow);
  BOOST_REQUIRE(fw.rules.size() == 4u);
  BOOST_TEST(fw.rules[0].allow);
  BOOST_TEST(fw.rules[0].protocol == "udp");
  BOOST_TEST(fw.rules[0].portFirst == 500);
  BOOST_TEST(fw.rules[0].portLast == 500);
  BOOST_TEST(fw.rules[1].portFirst == 30000);
  BOOST_TEST(fw.rules[1].portLast == 32767);
  BOOST_TEST(!fw.rules[2].allow);
  BOOST_TEST(fw.rules[2].protocol == "esp");
  BOOST_TEST(fw.rules[2].portFirst == 0);
  BOOST_TEST(fw.rules[3].protocol == "any");
  BOOST_REQUIRE(sc.underlay.nats.size() == 1u);
  BOOST_TEST(sc.underlay.nats[0].name == "nat-1");
  BOOST_TEST(sc.underlay.nats[0].udpTimeoutSeconds == 45.0);
  BOOST_TEST(sc.underlay.NatOf("worker-2") == &sc.underlay.nats[0]);
  BOOST_TEST(sc.underlay.NatOf("worker-0") == nullptr);
}

BOOST_AUTO_TEST_CASE(defaults) {
  const Scenario sc = LoadScenarioText(
      "name: d\ncluster:\n  pools: [{name: worker, nodes: 2}]\n  ipsec: {mode: Full}\n"
      "underlay:\n  firewalls: [{name: f, nodes: [worker-0]}]\n"
      "  nats: [{name: n, nodes: [worker-1]}]\n",
      "d.yaml");
  BOOST_TEST(sc.cluster.natKeepaliveSeconds == 20.0);  // Libreswan's keep-alive
  BOOST_TEST(sc.underlay.firewalls[0].direction == FirewallDirection::kBoth);
  BOOST_TEST(sc.underlay.firewalls[0].defaultAllow);
  BOOST_TEST(sc.underlay.firewalls[0].rules.empty());
  BOOST_TEST(sc.underlay.nats[0].udpTimeoutSeconds == 30.0);
  const Scenario none =
      LoadScenarioText("name: d\ncluster:\n  pools: [{name: worker, nodes: 2}]\n", "d.yaml");
  BOOST_TEST(none.underlay.firewalls.empty());
  BOOST_TEST(none.underlay.nats.empty());
}

BOOST_AUTO_TEST_CASE(keepalive_zero_disables) {
  const Scenario sc = LoadScenarioText(Edit("nat_keepalive: 5s", "nat_keepalive: 0"), "u.yaml");
  BOOST_TEST(sc.cluster.natKeepaliveSeconds == 0.0);
}

BOOST_AUTO_TEST_CASE(link_loss_combines_with_ibmcloud) {
  const Scenario sc = LoadScenarioText(
      "name: l\ncluster:\n  platform: ibmcloud\n  link_loss: 0.01\n"
      "  pools: [{name: worker, nodes: 2}]\n  ipsec: {mode: Full}\n",
      "l.yaml");
  BOOST_TEST(sc.cluster.linkLoss == 0.01);
}

BOOST_AUTO_TEST_CASE(bad_input_names_line_key_and_expectation) {
  for (const BadInput& bad : BadInputs()) {
    BOOST_TEST_CONTEXT(bad.what) {
      try {
        LoadScenarioText(bad.yaml, "bad.yaml");
        BOOST_ERROR("accepted: " << bad.what);
      } catch (const ScenarioError& e) {
        BOOST_TEST(e.line == bad.line);
        BOOST_TEST(e.key == bad.key);
        BOOST_TEST(e.message.find(bad.fragment) != std::string::npos,
                   "message '" << e.message << "' lacks '" << bad.fragment << "'");
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
