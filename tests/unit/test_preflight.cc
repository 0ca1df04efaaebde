// The ports-table preflight on its own: which of UDP 500, UDP 4500 and ESP
// each configured underlay stops between which nodes, why, and whether the
// scenario's IPsec needs it.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "preflight.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

std::vector<PreflightFinding> Preflight(const std::string& cluster, const std::string& underlay) {
  return RunPreflight(LoadScenarioText("name: p\ncluster:\n  pools: [{name: worker, nodes: 3}]\n" +
                                           cluster + "underlay:\n" + underlay,
                                       "p.yaml"));
}

const std::string kFull = "  ipsec: {mode: Full}\n";
const std::string kAlways =
    "  version: \"4.16\"\n  ipsec: {mode: Full, full: {encapsulation: Always}}\n";

size_t Count(const std::vector<PreflightFinding>& fs, const std::string& traffic,
             const std::string& status) {
  size_t n = 0;
  for (const PreflightFinding& f : fs) n += f.traffic == traffic && f.status == status;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(preflight)

BOOST_AUTO_TEST_CASE(an_open_underlay_has_no_findings) {
  BOOST_TEST(Preflight(kFull, "  firewalls: []\n").empty());
  BOOST_TEST(Preflight(kFull,
                       "  firewalls: [{name: f, nodes: [worker-0], rules: [{action: "
                       "deny, protocol: tcp}]}]\n")
                 .empty());
}

BOOST_AUTO_TEST_CASE(ibmcloud_blocks_esp_everywhere_without_affecting_ipsec) {
  // One finding for every pair (a 500-node cluster would otherwise list 249500).
  const auto fs = Preflight("  platform: ibmcloud\n" + kFull, "  nats: []\n");
  BOOST_REQUIRE(fs.size() == 1u);
  const PreflightFinding& f = fs[0];
  BOOST_TEST(f.id == "P1");
  BOOST_TEST(f.from == "*");
  BOOST_TEST(f.to == "*");
  BOOST_TEST(f.traffic == "esp");
  BOOST_TEST(!f.affectsIpsec);
  BOOST_TEST(f.text ==
             "ESP (IP protocol 50) blocked between all nodes by platform ibmcloud (the underlay "
             "drops IP protocol 50); not used: platform ibmcloud forces encapsulation, ESP "
             "travels in UDP 4500");
  // A firewall's ESP rule is shadowed by the platform's; its UDP rules are not.
  const auto both = Preflight("  platform: ibmcloud\n" + kFull,
                              "  firewalls: [{name: f, nodes: [worker-0], default: deny}]\n");
  BOOST_TEST(both.size() == 1u + 4u);  // 500 and 4500, out of and into worker-0
  BOOST_TEST(Count(both, "udp/4500", "blocked") == 2u);
}

BOOST_AUTO_TEST_CASE(default_deny_with_only_ike_allowed_breaks_encapsulation_always) {
  const auto fs = Preflight(kAlways,
                            "  firewalls:\n"
                            "    - {name: sg, nodes: [worker-2], default: deny,"
                            " rules: [{action: allow, protocol: udp, port: 500}]}\n");
  // Out of and into worker-2, for every peer: 4500 and ESP stopped, 500 not.
  BOOST_TEST(Count(fs, "udp/500", "blocked") == 0u);
  BOOST_TEST(Count(fs, "udp/4500", "blocked") == 2u);
  BOOST_TEST(Count(fs, "esp", "blocked") == 2u);
  for (const PreflightFinding& f : fs) {
    BOOST_TEST_CONTEXT(f.text) {
      BOOST_TEST(f.cause.find("default deny") != std::string::npos);
      BOOST_TEST(f.affectsIpsec == (f.traffic == "udp/4500"));
    }
  }
}

BOOST_AUTO_TEST_CASE(direction_and_port_ranges_select_what_is_stopped) {
  const auto fs = Preflight(kFull,
                            "  firewalls:\n"
                            "    - {name: out, nodes: [worker-0], direction: outbound,"
                            " rules: [{action: deny, protocol: udp, port: \"4000-5000\"}]}\n");
  // Only what worker-0 sends (to every peer), only UDP 4500 (500 is outside the range).
  BOOST_REQUIRE(fs.size() == 1u);
  for (const PreflightFinding& f : fs) {
    BOOST_TEST(f.from == "worker-0");
    BOOST_TEST(f.to == "*");
    BOOST_TEST(f.traffic == "udp/4500");
    BOOST_TEST(f.cause == "firewall out (outbound on worker-0) rule 1 (deny udp dport 4000-5000)");
    BOOST_TEST(!f.affectsIpsec);  // Auto, no NAT: ESP goes as protocol 50
  }
}

BOOST_AUTO_TEST_CASE(blocked_ike_always_affects_ipsec) {
  const auto fs = Preflight(kFull,
                            "  firewalls:\n"
                            "    - {name: in, nodes: [worker-1], direction: inbound,"
                            " rules: [{action: deny, protocol: udp, port: 500}]}\n");
  BOOST_REQUIRE(fs.size() == 1u);
  for (const PreflightFinding& f : fs) {
    BOOST_TEST(f.from == "*");
    BOOST_TEST(f.to == "worker-1");
    BOOST_TEST(f.affectsIpsec);
    BOOST_TEST(f.text ==
               "UDP 500 (IKE) blocked every other node → worker-1 by firewall in (inbound on "
               "worker-1) rule 1 (deny udp dport 500); IKE cannot be negotiated between every "
               "other node and worker-1: no SA, Geneve between them is dropped");
  }
}

BOOST_AUTO_TEST_CASE(nodes_behind_different_nats_cannot_reach_each_other) {
  const auto fs = Preflight(kFull,
                            "  nats:\n"
                            "    - {name: n0, nodes: [worker-0]}\n"
                            "    - {name: n1, nodes: [worker-1]}\n");
  size_t between = 0;
  for (const PreflightFinding& f : fs) {
    const bool pair = (f.from == "worker-0" && f.to == "worker-1") ||
                      (f.from == "worker-1" && f.to == "worker-0");
    if (!pair || f.status != "reply-only") continue;
    ++between;
    BOOST_TEST(f.affectsIpsec);
    BOOST_TEST(f.consequence.find("neither node can open") == 0u);
  }
  BOOST_TEST(between == 4u);  // 500 and 4500, both directions
  // worker-2 (no NAT) to worker-0: reply-only, but worker-0 opens it itself.
  for (const PreflightFinding& f : fs) {
    if (f.from == "worker-2" && f.status == "reply-only") BOOST_TEST(!f.affectsIpsec);
  }
}

BOOST_AUTO_TEST_CASE(a_node_behind_a_nat_whose_own_ike_is_blocked_cannot_open_its_mapping) {
  const auto fs = Preflight(kFull,
                            "  firewalls: [{name: f, nodes: [worker-2], direction: outbound,"
                            " rules: [{action: deny, protocol: udp, port: 500}]}]\n"
                            "  nats: [{name: n, nodes: [worker-2]}]\n");
  size_t found = 0;
  for (const PreflightFinding& f : fs) {
    if (f.traffic != "udp/500" || f.status != "reply-only") continue;
    ++found;
    BOOST_TEST(f.affectsIpsec);
    BOOST_TEST(f.consequence ==
               "worker-2 cannot open its NAT mapping towards every other node, its own packets "
               "are stopped by firewall f (outbound on worker-2) rule 1 (deny udp dport 500): no "
               "IKE SA, Geneve between them is dropped");
  }
  BOOST_TEST(found == 1u);  // from every other node to worker-2
}

BOOST_AUTO_TEST_CASE(mapping_expiry_is_found_when_keepalives_are_off_or_too_slow) {
  const std::string nat = "  nats: [{name: n, nodes: [worker-2], udp_timeout: 30s}]\n";
  auto expiries = [](const std::vector<PreflightFinding>& fs) {
    return Count(fs, "udp/4500", "expires");
  };
  BOOST_TEST(expiries(Preflight(kFull, nat)) == 0u);  // 20 s < 30 s
  // One finding for every peer of worker-2.
  BOOST_TEST(expiries(Preflight("  ipsec: {mode: Full, full: {nat_keepalive: 0}}\n", nat)) == 1u);
  const auto slow = Preflight("  ipsec: {mode: Full, full: {nat_keepalive: 30s}}\n", nat);
  BOOST_TEST(expiries(slow) == 1u);
  for (const PreflightFinding& f : slow) {
    if (f.status != "expires") continue;
    BOOST_TEST(f.from == "*");
    BOOST_TEST(f.to == "worker-2");
    BOOST_TEST(f.consequence.find("nat_keepalive 30s >= the timeout") == 0u);
  }
}

BOOST_AUTO_TEST_CASE(without_ipsec_findings_are_listed_but_do_not_affect_it) {
  const auto fs = Preflight("  ipsec: {mode: Disabled}\n",
                            "  firewalls: [{name: f, nodes: [worker-0], default: deny}]\n");
  BOOST_TEST(fs.size() == 6u);  // 3 kinds of traffic, out of and into worker-0
  for (const PreflightFinding& f : fs) {
    BOOST_TEST(!f.affectsIpsec);
    BOOST_TEST(f.consequence == "not used: IPsec is Disabled");
  }
}

BOOST_AUTO_TEST_CASE(a_node_s_findings_with_every_peer_are_one_finding) {
  // A security group on all 50 nodes: each node's outbound rule stops ESP to
  // every peer first, so 50 findings instead of 50 * 49.
  std::string nodes;
  for (int i = 0; i < 50; ++i) nodes += (i ? ", worker-" : "worker-") + std::to_string(i);
  const auto fs = RunPreflight(LoadScenarioText(
      "name: p\ncluster:\n  pools: [{name: worker, nodes: 50}]\n  ipsec: {mode: Full}\n"
      "underlay:\n  firewalls: [{name: sg, nodes: [" +
          nodes + "], rules: [{action: deny, protocol: esp}]}]\n",
      "p.yaml"));
  BOOST_REQUIRE(fs.size() == 50u);
  for (size_t i = 0; i < fs.size(); ++i) {
    BOOST_TEST(fs[i].from == "worker-" + std::to_string(i));
    BOOST_TEST(fs[i].to == "*");
    BOOST_TEST(fs[i].id == "P" + std::to_string(i + 1));
  }
  // Not merged when a peer differs: worker-2 behind a NAT encapsulates, so
  // worker-0's ESP rule does not matter towards it.
  const auto mixed = Preflight(kFull,
                               "  firewalls: [{name: f, nodes: [worker-0], direction: outbound,"
                               " rules: [{action: deny, protocol: esp}]}]\n"
                               "  nats: [{name: n, nodes: [worker-2]}]\n");
  size_t fromWorker0 = 0;
  for (const PreflightFinding& f : mixed) {
    if (f.from != "worker-0" || f.traffic != "esp") continue;
    ++fromWorker0;
    BOOST_TEST(f.to != "*");
  }
  BOOST_TEST(fromWorker0 == 2u);
}

BOOST_AUTO_TEST_CASE(reports_carry_the_findings_and_the_terminal_shows_the_important_ones) {
  RunReport r;
  for (int i = 1; i <= 25; ++i) {
    PreflightFinding f;
    f.id = "P" + std::to_string(i);
    f.affectsIpsec = i > 20;
    f.text = "finding " + std::to_string(i);
    if (i == 25) f.flows = {"x", "y"};
    r.preflight.push_back(f);
  }
  FlowResult flow;
  flow.name = "x";
  flow.preflight = {"P25"};
  r.flows.push_back(flow);
  const std::string table = FormatTable(r);
  // The five that affect IPsec come first, then the first fifteen others.
  BOOST_TEST(table.find("P21  finding 21\n") < table.find("P1  finding 1\n"));
  BOOST_TEST(table.find("P25  finding 25  [flows: x, y]\n") != std::string::npos);
  BOOST_TEST(table.find("P15  finding 15\n") != std::string::npos);
  BOOST_TEST(table.find("P16  finding 16\n") == std::string::npos);
  BOOST_TEST(table.find("... and 5 more findings in report.json (preflight)") != std::string::npos);
  const auto json = nlohmann::json::parse(FormatJsonReport(r));
  BOOST_TEST(json["preflight"].size() == 25u);
  BOOST_TEST(json["preflight"][24]["flows"] == nlohmann::json({"x", "y"}));
  BOOST_TEST(json["preflight"][24]["affects_ipsec"] == true);
  BOOST_TEST(json["flows"][0]["preflight"] == nlohmann::json({"P25"}));
}

BOOST_AUTO_TEST_SUITE_END()
