// Scenario loading: defaults resolve, and every bad input names its line, key
// and what was expected.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "durations.h"
#include "run_command.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace ipsecsim::harness {
// So that Boost.Test can print the enums when a comparison fails.
std::ostream& operator<<(std::ostream& out, IpsecMode m) { return out << ToString(m); }
std::ostream& operator<<(std::ostream& out, Protocol p) { return out << ToString(p); }
}  // namespace ipsecsim::harness

namespace ipsecsim::sim {
std::ostream& operator<<(std::ostream& out, Encapsulation e) { return out << harness::ToString(e); }
std::ostream& operator<<(std::ostream& out, Platform p) { return out << PlatformName(p); }
}  // namespace ipsecsim::sim

namespace {

// Line numbers below refer to this text.
const std::string kValid =
    "name: flow-matrix\n"                                  // 1
    "seed: 1\n"                                            // 2
    "cluster:\n"                                           // 3
    "  version: \"4.15\"\n"                                // 4
    "  platform: baremetal\n"                              // 5
    "  host_mtu: 1500\n"                                   // 6
    "  pools:\n"                                           // 7
    "    - {name: master, nodes: 3}\n"                     // 8
    "    - {name: worker, nodes: 3}\n"                     // 9
    "  ipsec: {mode: Full}\n"                              // 10
    "pods:\n"                                              // 11
    "  - {name: a, node: worker-0}\n"                      // 12
    "  - {name: b, node: worker-1}\n"                      // 13
    "  - {name: h, node: worker-0, host_network: true}\n"  // 14
    "flows:\n"                                             // 15
    "  - {name: a-to-b, from: a, to: b, protocol: udp, port: 8080, packets: 50, size: 800, "
    "start: 1s, interval: 10ms}\n"               // 16
    "expect:\n"                                  // 17
    "  - {flow: a-to-b, verdict: encrypted}\n";  // 18

// kValid with the first occurrence of `from` replaced by `to`.
std::string Edit(const std::string& from, const std::string& to) {
  std::string text = kValid;
  size_t at = text.find(from);
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "test text lacks '" << from << "'");
  return text.replace(at, from.size(), to);
}

struct BadInput {
  std::string what;
  std::string yaml;
  int line;
  std::string key;
  std::string fragment;  // part of the message saying what was expected
};

std::vector<BadInput> BadInputs() {
  const std::string flow = "{name: a-to-b, from: a, to: b, protocol: udp, port: 8080";
  return {
      {"yaml syntax", Edit("seed: 1", "seed: [1"), 2, "(document)",
       "invalid YAML: this '[' is never closed"},
      {"tab indentation", Edit("  platform", "\tplatform"), 5, "(document)", "invalid YAML"},
      {"empty file", "", 0, "(document)", "empty"},
      {"only a comment", "# nothing\n", 0, "(document)", "empty"},
      {"not a map", "- a\n- b\n", 1, "(document)", "expected a scenario map"},
      {"self-referential alias", Edit("seed: 1", "seed: 1\nloop: &l [1, *l]"), 3, "(document)",
       "refers to a list or map that contains it"},
      {"stray comma", ",\n", 1, "(document)", "unexpected ','"},
      {"stray comma after a document start", "---\n,\n", 2, "(document)", "unexpected ','"},
      {"two documents", kValid + "---\nname: other\n", 19, "(document)", "one YAML document"},
      {"unknown top key", Edit("seed: 1", "seed: 1\nnme: x"), 3, "nme",
       "allowed keys: name, seed, duration, cluster, pods, flows, expect"},
      {"unknown cluster key", Edit("  platform", "  platfrom"), 5, "cluster.platfrom",
       "did you mean 'platform'"},
      {"unknown flow key", Edit("protocol: udp", "protocl: udp"), 16, "flows[0].protocl",
       "did you mean 'protocol'"},
      {"unknown pod key", Edit("host_network", "hostNetwork"), 14, "pods[2].hostNetwork",
       "allowed keys: name, node, host_network"},
      {"empty key", Edit("seed: 1", "seed: 1\n\"\": 2"), 3, "\"\"", "unknown key ''"},
      {"duplicate key", Edit("seed: 1", "seed: 1\nseed: 2"), 3, "seed", "given twice"},
      {"nodes not a number", Edit("worker, nodes: 3", "worker, nodes: three"), 9,
       "cluster.pools[1].nodes", "expected a node count (an integer from 1 to 5000), got 'three'"},
      {"host_mtu a list", Edit("host_mtu: 1500", "host_mtu: [1500]"), 6, "cluster.host_mtu",
       "got a list"},
      {"host_network not a bool", Edit("host_network: true", "host_network: maybe"), 14,
       "pods[2].host_network", "expected true or false"},
      {"flow not a map", Edit(flow, "a-to-b #"), 16, "flows[0]", "expected a flow like"},
      {"missing name", Edit("name: flow-matrix", "# unnamed"), 2, "name",
       "missing required key 'name'"},
      {"missing cluster", kValid.substr(0, kValid.find("cluster:")), 1, "cluster",
       "missing required key"},
      {"missing from", Edit("from: a, ", ""), 16, "flows[0].from", "missing required key 'from'"},
      {"missing verdict", Edit(", verdict: encrypted", ""), 18, "expect[0].verdict",
       "missing required key"},
      {"empty value", Edit("node: worker-1", "node: "), 13, "pods[1].node",
       "expected a node name, got nothing"},
      {"unknown node", Edit("node: worker-1", "node: worker-7"), 13, "pods[1].node",
       "master-0..master-2, worker-0..worker-2"},
      {"unknown flow endpoint", Edit("to: b,", "to: c,"), 16, "flows[0].to",
       "expected a pod (a, b, h) or a node"},
      {"unknown expected flow", Edit("flow: a-to-b", "flow: a-to-c"), 18, "expect[0].flow",
       "expected the name of a flow (a-to-b)"},
      {"duplicate pod", Edit("{name: b,", "{name: a,"), 13, "pods[1].name", "defined twice"},
      {"duplicate flow", Edit("10ms}\n", "10ms}\n  - {name: a-to-b, from: b, to: a}\n"), 17,
       "flows[1].name", "defined twice"},
      {"duplicate pool", Edit("{name: worker,", "{name: master,"), 9, "cluster.pools[1].name",
       "defined twice"},
      {"duplicate expectation", kValid + "  - {flow: a-to-b, verdict: plaintext}\n", 19,
       "expect[1].flow", "one expectation per flow"},
      {"pool not a DNS label", Edit("{name: worker,", "{name: Worker_1,"), 9,
       "cluster.pools[1].name", "DNS label"},
      {"pod not a DNS label", Edit("{name: b,", "{name: B,"), 13, "pods[1].name", "DNS label"},
      {"pod named like a node", Edit("{name: h,", "{name: worker-2,"), 14, "pods[2].name",
       "not also a node name"},
      {"no pools",
       Edit("pools:\n    - {name: master, nodes: 3}\n    - {name: worker, nodes: 3}", "pools: []"),
       7, "cluster.pools", "at least one pool"},
      {"zero nodes", Edit("worker, nodes: 3", "worker, nodes: 0"), 9, "cluster.pools[1].nodes",
       "from 1 to 5000, got 0"},
      {"too many nodes", Edit("worker, nodes: 3", "worker, nodes: 5001"), 9,
       "cluster.pools[1].nodes", "from 1 to 5000, got 5001"},
      {"too many nodes in all pools", Edit("worker, nodes: 3", "worker, nodes: 510"), 9,
       "cluster.pools[1].nodes",
       "at most 512 nodes in all pools for the address plan, got 513: 513 nodes need a /13 "
       "cluster network with host_prefix 23; 10.128.0.0/14 holds 512"},
      {"network not a map", Edit("  ipsec: {mode: Full}", "  network: 10.128.0.0/14"), 10,
       "cluster.network", "expected a network map such as {cluster_network: 10.128.0.0/14"},
      {"unknown network key",
       Edit("  ipsec: {mode: Full}", "  network: {cluster_cidr: 10.128.0.0/14}"), 10,
       "cluster.network.cluster_cidr",
       "allowed keys: cluster_network, host_prefix, machine_network"},
      {"host prefix not a number", Edit("  ipsec: {mode: Full}", "  network: {host_prefix: /23}"),
       10, "cluster.network.host_prefix",
       "expected a host prefix (an integer from 0 to 32), got '/23'"},
      {"from equals to", Edit("to: b,", "to: a,"), 16, "flows[0].to", "other than the source"},
      {"port zero", Edit("port: 8080", "port: 0"), 16, "flows[0].port", "from 1 to 65535"},
      {"port too big", Edit("port: 8080", "port: 65536"), 16, "flows[0].port", "from 1 to 65535"},
      {"port on icmp", Edit("protocol: udp", "protocol: icmp"), 16, "flows[0].port",
       "no port for an icmp flow"},
      {"reserved host port",
       Edit("to: b, protocol: udp, port: 8080", "to: h, protocol: udp, port: 4500"), 16,
       "flows[0].port", "IKE, NAT-T and Geneve"},
      {"size below marker", Edit("size: 800", "size: 15"), 16, "flows[0].size",
       "16-byte flow marker"},
      {"size too big", Edit("size: 800", "size: 65001"), 16, "flows[0].size", "to 65000"},
      {"no packets", Edit("packets: 50", "packets: 0"), 16, "flows[0].packets", "from 1"},
      {"negative start", Edit("start: 1s", "start: -1s"), 16, "flows[0].start", "not negative"},
      {"unparsable interval", Edit("interval: 10ms", "interval: 10 ms"), 16, "flows[0].interval",
       "expected a duration like 10s, 250ms"},
      {"duration without unit", Edit("seed: 1", "seed: 1\nduration: 10"), 3, "duration",
       "expected a duration like"},
      {"start after the end", Edit("seed: 1", "seed: 1\nduration: 1s"), 17, "flows[0].start",
       "before the end of the scenario"},
      {"seed zero", Edit("seed: 1", "seed: 0"), 2, "seed", "from 1 to 4294967295"},
      {"seed negative", Edit("seed: 1", "seed: -3"), 2, "seed", "from 1 to 4294967295"},
      {"unknown platform", Edit("platform: baremetal", "platform: vsphere"), 5, "cluster.platform",
       "one of baremetal, aws, gcp, azure, ibmcloud"},
      {"unknown mode", Edit("{mode: Full}", "{mode: full}"), 10, "cluster.ipsec.mode",
       "one of Disabled, External, Full, got 'full' (did you mean 'Full'?)"},
      {"unknown encapsulation",
       Edit("{mode: Full}", "{mode: Full, full: {encapsulation: Sometimes}}"), 10,
       "cluster.ipsec.full.encapsulation", "one of Always, Auto"},
      {"full without mode Full",
       Edit("{mode: Full}", "{mode: External, full: {encapsulation: Always}}"), 10,
       "cluster.ipsec.full", "only together with mode: Full"},
      {"ipsec without value", Edit("ipsec: {mode: Full}", "ipsec:"), 10, "cluster.ipsec",
       "legacy {} meaning Full"},
      {"unknown protocol", Edit("protocol: udp", "protocol: sctp"), 16, "flows[0].protocol",
       "one of udp, tcp, icmp"},
      {"unknown verdict", Edit("verdict: encrypted", "verdict: secure"), 18, "expect[0].verdict",
       "one of encrypted, plaintext, local, dropped, mixed"},
      {"host_mtu too small", Edit("host_mtu: 1500", "host_mtu: 500"), 6, "cluster.host_mtu",
       "from 576 to 9216"},
      {"host_mtu too big", Edit("host_mtu: 1500", "host_mtu: 9217"), 6, "cluster.host_mtu",
       "from 576 to 9216"},
      {"host_mtu leaves no room for IPsec", Edit("host_mtu: 1500", "host_mtu: 700"), 6,
       "cluster.host_mtu", "at least 722"},
      {"cluster_mtu above the Geneve budget",
       Edit("host_mtu: 1500", "host_mtu: 1500\n  cluster_mtu: 1401"), 7, "cluster.cluster_mtu",
       "from 576 to 1400"},
      {"cluster_mtu too small", Edit("host_mtu: 1500", "host_mtu: 1500\n  cluster_mtu: 500"), 7,
       "cluster.cluster_mtu", "from 576 to 1400"},
      {"version too old", Edit("\"4.15\"", "\"4.11\""), 4, "cluster.version", "12 <= N <= 19"},
      {"version too new", Edit("\"4.15\"", "\"4.20\""), 4, "cluster.version", "12 <= N <= 19"},
      {"version never shipped", Edit("\"4.15\"", "4.15.4"), 4, "cluster.version",
       "4.15.4 was never released"},
      {"version major 5", Edit("\"4.15\"", "\"5.1\""), 4, "cluster.version", "\"4.N\""},
      {"bad link rate", Edit("host_mtu: 1500", "host_mtu: 1500\n  link_rate: fast"), 7,
       "cluster.link_rate", "a rate like 10Gbps"},
      {"negative link delay", Edit("host_mtu: 1500", "host_mtu: 1500\n  link_delay: -5us"), 7,
       "cluster.link_delay", "not negative"},
      {"scenario name is a path", Edit("name: flow-matrix", "name: ../etc"), 1, "name",
       "results directory"},
      {"flow name with a space", Edit("{name: a-to-b,", "{name: a to b,"), 16, "flows[0].name",
       "letters, digits"},
      {"pods not a list",
       Edit("pods:\n  - {name: a, node: worker-0}\n  - {name: b, node: worker-1}\n"
            "  - {name: h, node: worker-0, host_network: true}\n",
            "pods: {a: worker-0}\n"),
       11, "pods", "expected a list of pods, got a map"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scenario_loader)

BOOST_AUTO_TEST_CASE(bad_input_names_line_key_and_expectation) {
  for (const BadInput& bad : BadInputs()) {
    BOOST_TEST_CONTEXT(bad.what) {
      try {
        LoadScenarioText(bad.yaml, "bad.yaml");
        BOOST_ERROR("accepted: " << bad.what);
      } catch (const ScenarioError& e) {
        BOOST_TEST(e.file == "bad.yaml");
        BOOST_TEST(e.line == bad.line);
        BOOST_TEST(e.key == bad.key);
        BOOST_TEST(e.message.find(bad.fragment) != std::string::npos,
                   "message '" << e.message << "' lacks '" << bad.fragment << "'");
        BOOST_TEST(std::string(e.what()) ==
                   "bad.yaml:" + std::to_string(e.line) + ": " + e.key + ": " + e.message);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(full_example_loads_with_every_field) {
  Scenario s = LoadScenarioText(kValid, "ok.yaml");
  BOOST_TEST(s.file == "ok.yaml");
  BOOST_TEST(s.name == "flow-matrix");
  BOOST_TEST(s.seed == 1u);
  BOOST_TEST(s.durationSeconds == 0.0);
  BOOST_TEST(s.cluster.version == "4.15");
  BOOST_TEST(s.cluster.platform == Platform::kBaremetal);
  BOOST_TEST(s.cluster.hostMtu == 1500);
  BOOST_TEST(s.cluster.clusterMtu == 1354);
  BOOST_TEST(!s.cluster.clusterMtuGiven);
  BOOST_TEST(s.cluster.ipsecMode == IpsecMode::kFull);
  BOOST_TEST(s.cluster.encapsulation == Encapsulation::kAuto);
  BOOST_TEST(s.NodeNames() == (std::vector<std::string>{"master-0", "master-1", "master-2",
                                                        "worker-0", "worker-1", "worker-2"}),
             boost::test_tools::per_element());
  BOOST_TEST(s.HasNode("worker-2"));
  BOOST_TEST(!s.HasNode("worker-3"));
  BOOST_REQUIRE(s.FindPod("h") != nullptr);
  BOOST_TEST(s.FindPod("h")->hostNetwork);
  BOOST_TEST(s.FindPod("h")->node == "worker-0");
  BOOST_TEST(!s.FindPod("a")->hostNetwork);
  BOOST_TEST(s.FindPod("worker-0") == nullptr);
  BOOST_REQUIRE(s.flows.size() == 1u);
  const FlowSpec& f = s.flows[0];
  BOOST_TEST(f.from == "a");
  BOOST_TEST(f.to == "b");
  BOOST_TEST(f.protocol == Protocol::kUdp);
  BOOST_TEST(f.port == 8080);
  BOOST_TEST(f.packets == 50);
  BOOST_TEST(f.size == 800);
  BOOST_TEST(f.startSeconds == 1.0);
  BOOST_TEST(f.intervalSeconds == 0.01, boost::test_tools::tolerance(1e-12));
  BOOST_REQUIRE(s.expect.size() == 1u);
  BOOST_TEST(s.expect[0].flow == "a-to-b");
  BOOST_TEST(s.expect[0].verdict == "encrypted");
  BOOST_TEST(s.expect[0].line == 18);
}

BOOST_AUTO_TEST_CASE(cluster_mtu_defaults_follow_the_ipsec_mode) {
  Scenario disabled = LoadScenarioText(Edit("  ipsec: {mode: Full}\n", ""), "x");
  BOOST_TEST(disabled.cluster.ipsecMode == IpsecMode::kDisabled);
  BOOST_TEST(disabled.cluster.clusterMtu == 1400);

  Scenario legacy = LoadScenarioText(Edit("{mode: Full}", "{}"), "x");
  BOOST_TEST(legacy.cluster.ipsecMode == IpsecMode::kFull);
  BOOST_TEST(legacy.cluster.clusterMtu == 1354);

  Scenario external = LoadScenarioText(Edit("{mode: Full}", "{mode: External}"), "x");
  BOOST_TEST(external.cluster.ipsecMode == IpsecMode::kExternal);
  BOOST_TEST(external.cluster.clusterMtu == 1400);

  Scenario jumbo = LoadScenarioText(Edit("host_mtu: 1500", "host_mtu: 9000"), "x");
  BOOST_TEST(jumbo.cluster.clusterMtu == 8854);

  // Too large for IPsec, but allowed: the simulator shows what that does on the wire.
  Scenario given =
      LoadScenarioText(Edit("host_mtu: 1500", "host_mtu: 1500\n  cluster_mtu: 1400"), "x");
  BOOST_TEST(given.cluster.clusterMtu == 1400);
  BOOST_TEST(given.cluster.clusterMtuGiven);
}

BOOST_AUTO_TEST_CASE(optional_keys_take_their_defaults) {
  const std::string minimal =
      "name: tiny\n"
      "cluster:\n"
      "  pools: [{name: worker, nodes: 2}]\n"
      "flows:\n"
      "  - {name: n, from: worker-0, to: worker-1}\n";
  Scenario s = LoadScenarioText(minimal, "x");
  BOOST_TEST(s.seed == 1u);
  BOOST_TEST(s.cluster.version == "4.15");
  BOOST_TEST(s.cluster.platform == Platform::kBaremetal);
  BOOST_TEST(s.cluster.linkRate == "10Gbps");
  BOOST_TEST(s.cluster.linkDelaySeconds == 50e-6);
  BOOST_TEST(s.cluster.ipsecMode == IpsecMode::kDisabled);
  BOOST_TEST(s.pods.empty());
  BOOST_TEST(s.expect.empty());
  BOOST_TEST(s.flows[0].protocol == Protocol::kUdp);
  BOOST_TEST(s.flows[0].port == 8080);
  BOOST_TEST(s.flows[0].packets == 10);
  BOOST_TEST(s.flows[0].size == 100);
}

BOOST_AUTO_TEST_CASE(explicit_settings_are_kept) {
  std::string text = Edit("{mode: Full}", "{mode: Full, full: {encapsulation: Always}}");
  text = text.replace(text.find("version: \"4.15\""), 15, "version: \"4.16\"");  // full
  text = text.replace(text.find("host_mtu: 1500"), 14,
                      "host_mtu: 1500\n  link_rate: 2.5Gbps\n  link_delay: 200us");
  text = text.replace(text.find("seed: 1"), 7, "seed: 4294967295\nduration: 2m");
  Scenario s = LoadScenarioText(text, "x");
  BOOST_TEST(s.cluster.encapsulation == Encapsulation::kAlways);
  BOOST_TEST(s.cluster.linkRate == "2.5Gbps");
  BOOST_TEST(s.cluster.linkDelaySeconds == 200e-6, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(s.seed == 4294967295u);
  BOOST_TEST(s.durationSeconds == 120.0);
}

BOOST_AUTO_TEST_CASE(durations_parse_with_units) {
  BOOST_TEST(*ParseDurationSeconds("1s") == 1.0);
  BOOST_TEST(*ParseDurationSeconds("250ms") == 0.25, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(*ParseDurationSeconds("2m") == 120.0);
  BOOST_TEST(*ParseDurationSeconds("1.5s") == 1.5);
  BOOST_TEST(*ParseDurationSeconds("100us") == 1e-4, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(*ParseDurationSeconds("2h") == 7200.0);
  BOOST_TEST(*ParseDurationSeconds("0") == 0.0);
  BOOST_TEST(*ParseDurationSeconds("-1s") == -1.0);
  for (const char* bad : {"", "1", "s", "1 s", "1sec", "1e3s", "ten s", "1.5", "--1s", "1S"}) {
    BOOST_TEST(!ParseDurationSeconds(bad).has_value(), "accepted '" << bad << "'");
  }
}

BOOST_AUTO_TEST_CASE(endpoints_may_be_nodes) {
  Scenario s = LoadScenarioText(Edit("from: a, to: b", "from: worker-0, to: master-1"), "x");
  BOOST_TEST(s.flows[0].from == "worker-0");
  BOOST_TEST(s.flows[0].to == "master-1");
}

BOOST_AUTO_TEST_CASE(files_are_named_in_errors) {
  std::string dir = ipsecsim::test::MakeTempDir("scenario");
  std::string path = dir + "/bad.yaml";
  std::ofstream(path) << Edit("protocol: udp", "protocol: sctp");
  try {
    LoadScenarioFile(path);
    BOOST_ERROR("accepted sctp");
  } catch (const ScenarioError& e) {
    BOOST_TEST(e.file == path);
    BOOST_TEST(e.line == 16);
  }
  try {
    LoadScenarioFile(dir + "/missing.yaml");
    BOOST_ERROR("loaded a missing file");
  } catch (const ScenarioError& e) {
    BOOST_TEST(e.line == 0);
    BOOST_TEST(e.message.find("does not exist") != std::string::npos);
  }
  std::ofstream(dir + "/ok.yaml") << kValid;
  BOOST_TEST(LoadScenarioFile(dir + "/ok.yaml").file == dir + "/ok.yaml");
}

BOOST_AUTO_TEST_CASE(enum_names) {
  BOOST_TEST(std::string(ToString(IpsecMode::kExternal)) == "External");
  BOOST_TEST(std::string(ToString(Protocol::kIcmp)) == "icmp");
  BOOST_TEST(std::string(ToString(Encapsulation::kAlways)) == "Always");
  BOOST_TEST(VerdictNames().size() == 5u);
}

BOOST_AUTO_TEST_SUITE_END()
