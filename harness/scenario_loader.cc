// Loads a scenario file (schema version 1) and validates it completely, so
// that the simulator only ever sees a consistent Scenario.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "network_operator.h"
#include "ocp_zstreams.h"
#include "protocol_ports.h"
#include "scenario.h"
#include "scenario_external_loader.h"
#include "scenario_lifecycle_loader.h"
#include "scenario_limits.h"
#include "scenario_network_loader.h"
#include "scenario_underlay_loader.h"
#include "scenario_units.h"
#include "user_file.h"
#include "yaml_reader.h"

namespace ipsecsim::harness {
namespace {

constexpr int kGeneveOverhead = int(sim::mtu::kGeneveBudget);
constexpr int kIpsecOverhead = int(sim::mtu::kIpsecBudget);
constexpr int kFlowMarkerBytes = 16;
constexpr int kMaxPacketSize = 65000;
constexpr int kMinMinorVersion = 12;
constexpr int kMaxMinorVersion = 19;
constexpr double kMaxNatKeepaliveSeconds = 3600;

const std::vector<std::string> kTopKeys = {"name",  "seed",   "duration", "cluster",   "pods",
                                           "flows", "expect", "underlay", "lifecycle", "external"};
const std::vector<std::string> kClusterKeys = {
    "version",   "platform", "host_mtu", "cluster_mtu", "link_rate", "link_delay",  "tunnel_df",
    "link_loss", "pools",    "ipsec",    "ip_family",   "network",   "gateway_mode"};
const std::vector<std::string> kPoolKeys = {"name", "nodes", "max_unavailable"};
const std::vector<std::string> kIpsecKeys = {"mode", "full"};
const std::vector<std::string> kFullKeys = {"encapsulation", "nat_keepalive"};
const std::vector<std::string> kPodKeys = {"name", "node", "host_network"};
const std::vector<std::string> kFlowKeys = {"name",    "from", "to",    "protocol", "port",
                                            "packets", "size", "start", "interval"};
const std::vector<std::string> kExpectKeys = {
    "flow",     "verdict", "fragments", "max_fragments_per_packet",
    "df_drops", "probes",  "from",      "until",
    "metric",   "equals",  "at_least"};
const std::vector<std::string> kTunnelDf = {"set", "clear", "inherit"};
const std::vector<std::string> kIpFamilies = {"ipv4", "ipv6"};
constexpr long long kMaxCount = 1000000000000LL;

const std::vector<std::string> kModes = {"Disabled", "External", "Full"};
const std::vector<std::string> kEncapsulations = {"Always", "Auto"};
const std::vector<std::string> kProtocols = {"udp", "tcp", "icmp"};

// UDP ports the host network of every node already uses: IKE, NAT-T and Geneve.
// A flow to a host-network endpoint on one of them would be taken for that traffic.
const std::set<long long> kReservedHostUdpPorts = {ports::kIke, ports::kNatt, ports::kGeneve};

class ScenarioParser {
 public:
  explicit ScenarioParser(std::string file) { scenario_.file = std::move(file); }

  Scenario Parse(const YamlValue& root) {
    YamlMap top = root.AsMap(kTopKeys, "a scenario map with keys " + JoinWords(kTopKeys));
    ParseName(top.Require("name"));
    if (auto seed = top.Find("seed")) {
      scenario_.seed = static_cast<uint64_t>(
          seed->AsInteger(1, 4294967295LL, "a seed (ns-3 seeds are 32-bit and not zero)"));
    }
    if (auto duration = top.Find("duration")) {
      scenario_.durationSeconds = duration->AsDuration(kMaxSeconds);
    }
    ParseCluster(top.Require("cluster"));
    const bool ipv6 = scenario_.cluster.ipFamily == IpFamily::kIpv6;
    if (auto external = top.Find("external")) {
      if (ipv6) external->Fail("expected external: only with an IPv4 underlay");
      scenario_.external =
          ParseExternal(*external, scenario_.NodeNames(), scenario_.cluster.network);
    }
    if (auto underlay = top.Find("underlay")) {
      UnderlayContext context{scenario_.cluster.hostMtu, ipv6, {}};
      if (scenario_.external)
        for (const ExternalHostSpec& host : scenario_.external->hosts)
          context.externalHosts.push_back(host.name);
      scenario_.underlay = ParseUnderlay(*underlay, scenario_.NodeNames(), context);
      CheckNatAddresses(*underlay);
    }
    if (auto lifecycle = top.Find("lifecycle")) {
      std::vector<std::string> pools;
      for (const PoolSpec& pool : scenario_.cluster.pools) pools.push_back(pool.name);
      scenario_.lifecycle =
          ParseLifecycle(*lifecycle, {scenario_.cluster.version, scenario_.ipsecConfigJson,
                                      scenario_.cluster.clusterMtu, scenario_.cluster.hostMtu,
                                      pools, scenario_.durationSeconds});
    } else if (!poolMaxUnavailable_.empty()) {
      poolMaxUnavailable_[0].Fail(
          "expected max_unavailable only with a lifecycle: section (without one the machine "
          "config operator updates no node)");
    }
    CheckIpsecMeshSize(top);
    if (scenario_.lifecycle && !scenario_.external) {
      // An `apply` step brings the user's MachineConfigs: harness/external reads them.
      for (const ProcedureStepSpec& step : scenario_.lifecycle->steps) {
        if (step.applied.empty()) continue;
        if (ipv6)
          top.FailAt("lifecycle", "expected apply steps only with an IPv4 underlay (line " +
                                      std::to_string(step.line) + ")");
        scenario_.external = ExternalSpec{};
        scenario_.external->line = step.line;
      }
    }
    if (auto pods = top.Find("pods")) ParsePods(*pods);
    if (auto flows = top.Find("flows")) ParseFlows(*flows);
    if (auto expect = top.Find("expect")) ParseExpectations(*expect);
    return std::move(scenario_);
  }

 private:
  void ParseName(const YamlValue& value) {
    scenario_.name = value.AsString("a scenario name");
    if (!IsFileSafeName(scenario_.name)) {
      value.Fail(
          "expected a scenario name of 1 to 100 letters, digits, '.', '_' or '-' (it names "
          "the results directory), got '" +
          scenario_.name + "'");
    }
  }

  // The NATs' public addresses come from the machine network, above the
  // node IPs (sim::NetworkPlan::NatPublicAddress).
  void CheckNatAddresses(const YamlValue& underlay) const {
    const size_t nats = scenario_.underlay.nats.size();
    if (nats == 0) return;
    const sim::NetworkPlan& plan = scenario_.cluster.network;
    const YamlValue at(underlay.Node()["nats"], JoinPath(underlay.Path(), "nats"), underlay.File(),
                       underlay.Line());
    if (plan.NatAddresses() == 0) {
      at.Fail("expected no NATs with the machine network " + plan.machineNetwork.ToString() +
              ": the NATs' public addresses are taken from the second-last /23 of the machine "
              "network, so NATs need a machine network of /23 or larger");
    }
    if (nats > plan.NatAddresses()) {
      at.Fail("expected at most " + std::to_string(plan.NatAddresses()) + " NATs, got " +
              std::to_string(nats) + ": their public addresses are " +
              sim::Ipv4Text(plan.NatPublicAddress(0)) +
              " onwards, in the second-last /23 of "
              "the machine network " +
              plan.machineNetwork.ToString());
    }
    const std::string why =
        NodesDoNotFit(plan, static_cast<long long>(scenario_.NodeNames().size()), true);
    if (!why.empty()) at.Fail("expected node IPs below the NATs' public addresses: " + why);
  }

  void CheckIpsecMeshSize(const YamlMap& top) const {
    const bool ipsec = scenario_.cluster.ipsecMode == IpsecMode::kFull || scenario_.lifecycle;
    const int nodes = int(scenario_.NodeNames().size());
    if (!ipsec || nodes <= kMaxIpsecNodes) return;
    top.FailAt(scenario_.lifecycle ? "lifecycle" : "cluster",
               "expected at most " + std::to_string(kMaxIpsecNodes) +
                   " nodes with IPsec Full or a lifecycle, got " + std::to_string(nodes) +
                   ": every pair of nodes has its own IKE SA, so memory and time grow with the "
                   "square of the node count (about 62 KiB per pair of nodes at 100 nodes, "
                   "more in larger clusters)");
  }

  void ParseCluster(const YamlValue& value) {
    YamlMap cluster =
        value.AsMap(kClusterKeys, "a cluster map with keys " + JoinWords(kClusterKeys));
    ClusterSpec& spec = scenario_.cluster;
    if (auto version = cluster.Find("version")) ParseVersion(*version);
    if (auto platform = cluster.Find("platform")) {
      std::vector<std::string> names;
      for (const sim::PlatformProfile& p : sim::PlatformProfiles()) names.push_back(p.name);
      spec.platform = *sim::PlatformNamed(platform->AsChoice(names));
    }
    if (auto rate = cluster.Find("link_rate")) {
      spec.linkRate = rate->AsString(kDataRateExamples);
      std::optional<double> bps = ParseDataRateBitsPerSecond(spec.linkRate);
      if (!bps) {
        rate->Fail(std::string("expected ") + kDataRateExamples + ", got '" + spec.linkRate + "'");
      }
      if (*bps < kMinLinkBitsPerSecond || *bps > kMaxLinkBitsPerSecond) {
        rate->Fail("expected a link rate from 1Mbps to 1000Gbps, got '" + spec.linkRate +
                   "': slower links are not cluster NICs (one 9216-byte frame at 100kbps takes "
                   "longer than the 0.5 s IKE retransmission timer), and ns-3 counts rates in "
                   "whole bits per second");
      }
    }
    if (auto delay = cluster.Find("link_delay")) spec.linkDelaySeconds = delay->AsDuration(1.0);
    if (auto df = cluster.Find("tunnel_df")) {
      const std::string name = df->AsChoice(kTunnelDf);
      spec.tunnelDf = *sim::ParseTunnelDf(name);
    }
    if (auto loss = cluster.Find("link_loss")) {
      spec.linkLoss = loss->AsProbability(0.5);
    }
    if (auto network = cluster.Find("network")) spec.network = ParseNetwork(*network);
    if (auto mode = cluster.Find("gateway_mode"))
      spec.gatewayMode = *sim::ParseGatewayMode(mode->AsChoice({"shared", "local"}));
    ParsePools(cluster.Require("pools"));
    if (auto ipsec = cluster.Find("ipsec")) ParseIpsec(*ipsec);
    if (auto family = cluster.Find("ip_family")) {
      spec.ipFamily = family->AsChoice(kIpFamilies) == "ipv6" ? IpFamily::kIpv6 : IpFamily::kIpv4;
      if (spec.ipFamily == IpFamily::kIpv6 && sim::ProfileOf(spec.platform).dropsEsp) {
        family->Fail(std::string("expected ipv4 on platform ") + sim::PlatformName(spec.platform) +
                     " (its ESP filter is modelled for IPv4; use "
                     "ipsec.full.encapsulation: Always for ESP in UDP 4500 over IPv6)");
      }
    }
    if (spec.gatewayMode == sim::GatewayMode::kLocal && spec.ipFamily == IpFamily::kIpv6)
      cluster.FailAt("gateway_mode", "expected gateway_mode: local only with an IPv4 underlay");
    ResolveMtu(cluster);
  }

  void ParseVersion(const YamlValue& value) {
    std::string version =
        value.AsString("an OpenShift/OKD version such as \"4.15\" or \"4.15.42\"");
    // Numbers without leading zeros, as in every semantic version.
    static const std::regex kVersion(R"(^4\.(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2}))?$)");
    std::smatch match;
    std::string expected = "an OpenShift/OKD minor \"4.N\" or z-stream \"4.N.Z\" with " +
                           std::to_string(kMinMinorVersion) +
                           " <= N <= " + std::to_string(kMaxMinorVersion) + ", got '" + version +
                           "'";
    if (!std::regex_match(version, match, kVersion)) value.Fail("expected " + expected);
    int minor = std::stoi(match[1].str());
    if (minor < kMinMinorVersion || minor > kMaxMinorVersion) value.Fail("expected " + expected);
    if (auto why = sim::NotShipped(*sim::OcpVersion::Parse(version)))
      value.Fail("expected a released z-stream: " + *why);
    scenario_.cluster.version = version;
  }

  void ParsePools(const YamlValue& value) {
    std::vector<YamlValue> items = value.AsList("a list of machine-config pools");
    if (items.empty()) value.Fail("expected at least one pool, e.g. {name: worker, nodes: 3}");
    std::set<std::string> names;
    std::vector<YamlValue> counts;
    for (const YamlValue& item : items) {
      YamlMap pool = item.AsMap(kPoolKeys, "a pool like {name: worker, nodes: 3}");
      YamlValue nameValue = pool.Require("name");
      YamlValue nodesValue = pool.Require("nodes");
      PoolSpec spec;
      spec.name = nameValue.AsString("a pool name");
      spec.nodes = static_cast<int>(nodesValue.AsInteger(1, kMaxNodes, "a node count"));
      if (auto m = pool.Find("max_unavailable")) {
        spec.maxUnavailable = ParseMaxUnavailable(*m);
        spec.maxUnavailableLine = m->Line();
        poolMaxUnavailable_.push_back(*m);
      }
      std::string lastNode = spec.name + "-" + std::to_string(spec.nodes - 1);
      if (!IsDnsLabel(spec.name) || !IsDnsLabel(lastNode)) {
        nameValue.Fail(
            "expected a pool name that is a DNS label (lowercase letters, digits and "
            "'-', starting and ending alphanumeric, node names at most 63 characters), "
            "got '" +
            spec.name + "'");
      }
      if (!names.insert(spec.name).second) {
        nameValue.Fail("expected unique pool names, '" + spec.name + "' is defined twice");
      }
      scenario_.cluster.pools.push_back(spec);
      counts.push_back(nodesValue);
    }
    CheckNodeCount(counts);
  }

  // The nodes in all pools fit the absolute limit and the address plan;
  // reported at the pool where the count crosses the first limit it breaks.
  void CheckNodeCount(const std::vector<YamlValue>& counts) const {
    const std::vector<PoolSpec>& pools = scenario_.cluster.pools;
    long long total = 0;
    for (const PoolSpec& pool : pools) total += pool.nodes;
    const sim::NetworkPlan& plan = scenario_.cluster.network;
    const long long fit = std::min<long long>(
        kMaxNodes, static_cast<long long>(std::min(plan.NodeSubnets(), plan.NodeIps(false))));
    if (total <= fit) return;
    long long sum = 0;
    size_t at = 0;
    while ((sum += pools[at].nodes) <= fit) ++at;
    if (fit == kMaxNodes) {
      counts[at].Fail("expected at most " + std::to_string(kMaxNodes) +
                      " nodes in all pools, got " + std::to_string(total) +
                      ": Kubernetes supports clusters of up to 5000 nodes, and every node is a "
                      "simulated host with its own IP stack and link");
    }
    counts[at].Fail("expected at most " + std::to_string(fit) +
                    " nodes in all pools for the address plan, got " + std::to_string(total) +
                    ": " + NodesDoNotFit(plan, total, false));
  }

  void ParseIpsec(const YamlValue& value) {
    ClusterSpec& spec = scenario_.cluster;
    YamlMap ipsec = value.AsMap(
        kIpsecKeys, "an ipsec map such as {mode: Full} (or the legacy {} meaning Full)");
    // The legacy form: an ipsec map without a mode turns on full IPsec.
    spec.ipsecMode = IpsecMode::kFull;
    nlohmann::json api = nlohmann::json::object();
    std::optional<YamlValue> mode = ipsec.Find("mode");
    if (mode) {
      std::string name = mode->AsChoice(kModes);
      api["mode"] = name;
      spec.ipsecMode = name == "Disabled"   ? IpsecMode::kDisabled
                       : name == "External" ? IpsecMode::kExternal
                                            : IpsecMode::kFull;
    }
    std::optional<YamlValue> full = ipsec.Find("full");
    scenario_.ipsecConfigJson = api.dump();
    if (!full) {
      RequireApiAccepts(value, api);
      return;
    }
    if (!mode || spec.ipsecMode != IpsecMode::kFull) {
      full->Fail(std::string("expected 'full' only together with mode: Full, but mode is ") +
                 (mode ? ToString(spec.ipsecMode) : "not set"));
    }
    YamlMap fullMap =
        full->AsMap(kFullKeys, "a map such as {encapsulation: Always, nat_keepalive: 20s}");
    // nat_keepalive is Libreswan's keep-alive, not a field of the API.
    if (fullMap.Has("encapsulation"))
      api["full"] = {{"encapsulation", fullMap.Find("encapsulation")->AsChoice(kEncapsulations)}};
    RequireApiAccepts(value, api);
    scenario_.ipsecConfigJson = api.dump();
    if (auto encapsulation = fullMap.Find("encapsulation")) {
      spec.encapsulation = encapsulation->AsChoice(kEncapsulations) == "Always"
                               ? Encapsulation::kAlways
                               : Encapsulation::kAuto;
    }
    if (auto keepalive = fullMap.Find("nat_keepalive")) {
      spec.natKeepaliveSeconds = keepalive->AsDuration(kMaxNatKeepaliveSeconds);
      if (spec.natKeepaliveSeconds > 0 && spec.natKeepaliveSeconds < kMinPeriodSeconds)
        keepalive->Fail(
            "expected 0 (no keepalives) or at least 10ms: every node behind a NAT "
            "sends one to each peer each period for the whole run");
    }
  }

  // The install-time ipsecConfig meets the rules of the release's API, the
  // same the lifecycle's patches are held to (sim::NetworkOperatorConfig).
  void RequireApiAccepts(const YamlValue& value, const nlohmann::json& ipsecConfig) const {
    const std::string& version = scenario_.cluster.version;
    try {
      sim::NetworkOperatorConfig(*sim::OcpVersion::Parse(version), ipsecConfig);
    } catch (const sim::OperatorApiError& e) {
      value.Fail(
          "expected an ipsecConfig the " + version +
          " API accepts at install, by the rules it applies to an oc patch of it: " + e.what());
    }
  }

  void ResolveMtu(const YamlMap& cluster) {
    ClusterSpec& spec = scenario_.cluster;
    std::optional<YamlValue> host = cluster.Find("host_mtu");
    if (host) spec.hostMtu = static_cast<int>(host->AsInteger(kMinMtu, kMaxHostMtu, "a host MTU"));
    int ipsecOverhead = spec.ipsecMode == IpsecMode::kFull ? kIpsecOverhead : 0;
    int largest = spec.hostMtu - kGeneveOverhead;
    if (auto given = cluster.Find("cluster_mtu")) {
      if (largest < kMinMtu) {
        given->Fail("expected a host_mtu of at least " + std::to_string(kMinMtu + kGeneveOverhead) +
                    " for any cluster_mtu: Geneve takes " + std::to_string(kGeneveOverhead) +
                    " bytes of host_mtu " + std::to_string(spec.hostMtu));
      }
      spec.clusterMtu = static_cast<int>(given->AsInteger(
          kMinMtu, largest,
          "a cluster MTU (at most host_mtu - " + std::to_string(kGeneveOverhead) + " for Geneve)"));
      spec.clusterMtuGiven = true;
      return;
    }
    spec.clusterMtu = largest - ipsecOverhead;
    if (spec.clusterMtu < kMinMtu) {
      std::string message = " a host_mtu of at least " +
                            std::to_string(kMinMtu + kGeneveOverhead + ipsecOverhead) +
                            ", or an explicit cluster_mtu: the default cluster MTU would be " +
                            std::to_string(spec.clusterMtu) + ", below " + std::to_string(kMinMtu);
      if (host) host->Fail("expected" + message);
      cluster.FailAt("host_mtu", "expected" + message);
    }
  }

  std::string NodeSummary() const {
    std::vector<std::string> ranges;
    for (const PoolSpec& pool : scenario_.cluster.pools) {
      ranges.push_back(pool.nodes == 1
                           ? pool.name + "-0"
                           : pool.name + "-0.." + pool.name + "-" + std::to_string(pool.nodes - 1));
    }
    return JoinWords(ranges);
  }

  void ParsePods(const YamlValue& value) {
    std::set<std::string> nodes = NodeSet();
    std::map<std::string, int> podsOnNode;
    const long long maxPodsPerNode = MaxPodsPerNode(scenario_.cluster.network);
    const std::vector<YamlValue> items = value.AsList("a list of pods");
    if (items.size() > size_t(kMaxPods)) {
      value.Fail("expected at most " + std::to_string(kMaxPods) + " pods, got " +
                 std::to_string(items.size()) +
                 ": every pod is a simulated host with its own IP stack");
    }
    for (const YamlValue& item : items) {
      YamlMap pod = item.AsMap(kPodKeys, "a pod like {name: a, node: worker-0}");
      YamlValue nameValue = pod.Require("name");
      YamlValue nodeValue = pod.Require("node");
      PodSpec spec;
      spec.name = nameValue.AsString("a pod name");
      if (!IsDnsLabel(spec.name)) {
        nameValue.Fail(
            "expected a pod name that is a DNS label (lowercase letters, digits and "
            "'-', starting and ending alphanumeric, at most 63), got '" +
            spec.name + "'");
      }
      if (nodes.count(spec.name)) {
        nameValue.Fail(
            "expected a pod name that is not also a node name: flows could not tell "
            "pod '" +
            spec.name + "' from node '" + spec.name + "'");
      }
      if (scenario_.HasExternalHost(spec.name)) {
        nameValue.Fail(
            "expected a pod name that is not also an external host's: flows could not tell "
            "pod '" +
            spec.name + "' from external host '" + spec.name + "'");
      }
      if (!podIndex_.emplace(spec.name, scenario_.pods.size()).second) {
        nameValue.Fail("expected unique pod names, '" + spec.name + "' is defined twice");
      }
      spec.node = nodeValue.AsString("a node name");
      if (!nodes.count(spec.node)) {
        nodeValue.Fail("expected a node of the cluster (" + NodeSummary() + "), got '" + spec.node +
                       "'");
      }
      if (++podsOnNode[spec.node] > maxPodsPerNode) {
        const sim::NetworkPlan& plan = scenario_.cluster.network;
        const uint64_t last = (uint64_t(1) << (32 - plan.hostPrefix)) - 2;
        nodeValue.Fail("expected at most " + std::to_string(maxPodsPerNode) + " pods on node '" +
                       spec.node + "': its /" + std::to_string(plan.hostPrefix) +
                       " of the cluster network has addresses .3 to ." + std::to_string(last) +
                       " for pods (host_prefix " + std::to_string(plan.hostPrefix) + ")");
      }
      if (auto host = pod.Find("host_network")) spec.hostNetwork = host->AsBool();
      scenario_.pods.push_back(spec);
    }
  }

  std::set<std::string> NodeSet() const {
    std::vector<std::string> names = scenario_.NodeNames();
    return {names.begin(), names.end()};
  }

  std::string ParseEndpoint(const YamlValue& value, const std::set<std::string>& nodes) {
    std::string name = value.AsString("a pod or node name");
    if (!podIndex_.count(name) && !nodes.count(name) && !scenario_.HasExternalHost(name)) {
      std::vector<std::string> pods, externals;
      for (const PodSpec& pod : scenario_.pods) pods.push_back(pod.name);
      if (scenario_.external)
        for (const ExternalHostSpec& host : scenario_.external->hosts)
          externals.push_back(host.name);
      value.Fail("expected a pod (" + (pods.empty() ? std::string("none defined") : FewOf(pods)) +
                 (externals.empty() ? ") or a node (" + NodeSummary() + ")"
                                    : "), a node (" + NodeSummary() + ") or an external host (" +
                                          FewOf(externals) + ")") +
                 ", got '" + name + "'");
    }
    return name;
  }

  bool OnHostNetwork(const std::string& endpoint) const {
    const auto pod = podIndex_.find(endpoint);
    return pod == podIndex_.end() || scenario_.pods[pod->second].hostNetwork;
  }

  void ParseFlows(const YamlValue& value) {
    std::set<std::string> nodes = NodeSet();
    std::set<std::string> names;
    const std::vector<YamlValue> items = value.AsList("a list of flows");
    if (items.size() > size_t(kMaxFlows)) {
      value.Fail("expected at most " + std::to_string(kMaxFlows) + " flows, got " +
                 std::to_string(items.size()) +
                 ": every flow has its own sockets and wire accounting");
    }
    long long packets = 0, bytes = 0;
    for (const YamlValue& item : items) {
      YamlMap flow = item.AsMap(kFlowKeys, "a flow like {name: a-to-b, from: a, to: b}");
      FlowSpec spec;
      YamlValue nameValue = flow.Require("name");
      spec.name = nameValue.AsString("a flow name");
      if (!IsFileSafeName(spec.name)) {
        nameValue.Fail("expected a flow name of 1 to 100 letters, digits, '.', '_' or '-', got '" +
                       spec.name + "'");
      }
      if (!names.insert(spec.name).second) {
        nameValue.Fail("expected unique flow names, '" + spec.name + "' is defined twice");
      }
      spec.from = ParseEndpoint(flow.Require("from"), nodes);
      YamlValue toValue = flow.Require("to");
      spec.to = ParseEndpoint(toValue, nodes);
      if (spec.to == spec.from) {
        toValue.Fail("expected a destination other than the source '" + spec.from + "'");
      }
      ParseTraffic(flow, spec);
      packets += spec.packets;
      bytes += static_cast<long long>(spec.packets) * spec.size;
      if (packets > kMaxScheduledPackets || bytes > kMaxScheduledBytes) {
        item.Fail("expected at most " + std::to_string(kMaxScheduledPackets) +
                  " packets and 1 GiB of payload (packets x size) in all flows, got " +
                  std::to_string(packets) + " packets and " + std::to_string(bytes) +
                  " bytes so far: every packet is scheduled with its payload when the "
                  "simulation starts");
      }
      scenario_.flows.push_back(spec);
    }
  }

  void ParseTraffic(const YamlMap& flow, FlowSpec& spec) {
    if (auto protocol = flow.Find("protocol")) {
      std::string name = protocol->AsChoice(kProtocols);
      spec.protocol = name == "udp"   ? Protocol::kUdp
                      : name == "tcp" ? Protocol::kTcp
                                      : Protocol::kIcmp;
    }
    if (auto port = flow.Find("port")) {
      if (spec.protocol == Protocol::kIcmp) {
        port->Fail("expected no port for an icmp flow (ports apply to udp and tcp)");
      }
      spec.port = static_cast<int>(port->AsInteger(1, 65535, "a port"));
      if (spec.protocol == Protocol::kUdp && OnHostNetwork(spec.to) &&
          kReservedHostUdpPorts.count(spec.port)) {
        port->Fail(
            "expected a udp port other than 500, 4500 and 6081 towards the host network of '" +
            spec.to + "': IKE, NAT-T and Geneve use them there");
      }
    }
    if (auto packets = flow.Find("packets")) {
      spec.packets = static_cast<int>(packets->AsInteger(1, 10000000, "a packet count"));
    }
    if (auto size = flow.Find("size")) {
      spec.size = static_cast<int>(size->AsInteger(
          kFlowMarkerBytes, kMaxPacketSize,
          "a payload size in bytes (at least 16: every packet carries a 16-byte flow marker)"));
    }
    if (auto start = flow.Find("start")) {
      spec.startSeconds = start->AsDuration(kMaxSeconds);
      if (scenario_.durationSeconds > 0 && spec.startSeconds >= scenario_.durationSeconds) {
        start->Fail("expected a start before the end of the scenario (duration " +
                    FormatSeconds(scenario_.durationSeconds) + "), got " +
                    FormatSeconds(spec.startSeconds));
      }
    }
    if (auto interval = flow.Find("interval"))
      spec.intervalSeconds = interval->AsDuration(kMaxSeconds);
    if (!flow.Find("start") && scenario_.durationSeconds > 0 &&
        spec.startSeconds >= scenario_.durationSeconds) {
      flow.FailAt("start", "expected the flow to start before the end of the scenario (duration " +
                               FormatSeconds(scenario_.durationSeconds) +
                               "): it starts at the default " + FormatSeconds(spec.startSeconds) +
                               "; give it an earlier start: or the scenario a longer "
                               "duration:");
    }
  }

  static std::string FormatSeconds(double seconds) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << seconds << "s";
    return out.str();
  }

  void ParseExpectations(const YamlValue& value) {
    std::set<std::string> flows;
    for (const FlowSpec& flow : scenario_.flows) flows.insert(flow.name);
    std::set<std::string> expected;
    for (const YamlValue& item : value.AsList("a list of expectations")) {
      YamlMap expect =
          item.AsMap(kExpectKeys, "an expectation like {flow: a-to-b, verdict: encrypted}");
      if (expect.Has("probes") || expect.Has("metric")) {
        ParseLifecycleExpectation(item, expect);
        continue;
      }
      for (const char* key : {"from", "until", "equals", "at_least"})
        if (expect.Has(key))
          expect.FailAt(
              key, std::string("expected '") + key + "' only in a probes or metric expectation");
      YamlValue flowValue = expect.Require("flow");
      ExpectationSpec spec;
      spec.flow = flowValue.AsString("a flow name");
      if (!flows.count(spec.flow)) {
        std::vector<std::string> known(flows.begin(), flows.end());
        flowValue.Fail("expected the name of a flow (" +
                       (known.empty() ? std::string("none defined") : FewOf(known)) + "), got '" +
                       spec.flow + "'");
      }
      if (!expected.insert(spec.flow).second) {
        flowValue.Fail("expected one expectation per flow, '" + spec.flow + "' already has one");
      }
      spec.verdict = expect.Require("verdict").AsChoice(VerdictNames());
      const std::string count = "a count of underlay packets";
      if (auto v = expect.Find("fragments")) spec.fragments = v->AsInteger(0, kMaxCount, count);
      if (auto v = expect.Find("max_fragments_per_packet")) {
        spec.maxFragmentsPerPacket =
            v->AsInteger(0, 65535, "the most pieces one datagram may be cut into (1: none)");
      }
      if (auto v = expect.Find("df_drops")) spec.dfDrops = v->AsInteger(0, kMaxCount, count);
      spec.line = item.Line();
      scenario_.expect.push_back(spec);
    }
  }

  // {probes: all, verdict: encrypted, from: 600s, until: 700s} or
  // {metric: broken_pairs, equals: 0}, on a scenario with a lifecycle.
  void ParseLifecycleExpectation(const YamlValue& item, const YamlMap& expect) {
    if (!scenario_.lifecycle)
      expect.FailAt(expect.Has("probes") ? "probes" : "metric",
                    "expected a top-level 'lifecycle' section for probe and metric expectations");
    for (const char* key : {"flow", "fragments", "max_fragments_per_packet", "df_drops"})
      if (expect.Has(key))
        expect.FailAt(key, std::string("expected '") + key + "' only in a flow expectation");
    LifecycleExpectationSpec spec;
    spec.line = item.Line();
    if (expect.Has("probes") && expect.Has("metric"))
      expect.FailAt("metric", "expected either 'probes' or 'metric' in one expectation, not both");
    if (auto probes = expect.Find("probes")) {
      if (scenario_.lifecycle->probeIntervalSeconds <= 0)
        probes->Fail("expected probes to be on (lifecycle.probes.interval is 0s)");
      spec.probes = probes->AsString("'all' or a node pair such as master-0>worker-1");
      if (spec.probes != "all") {
        const size_t gt = spec.probes.find('>');
        const std::string a = spec.probes.substr(0, gt);
        const std::string b = gt == std::string::npos ? "" : spec.probes.substr(gt + 1);
        if (gt == std::string::npos || !scenario_.HasNode(a) || !scenario_.HasNode(b) || a == b)
          probes->Fail("expected 'all' or two different nodes as FROM>TO, got '" + spec.probes +
                       "'");
      }
      spec.verdict = expect.Require("verdict").AsChoice(VerdictNames());
      spec.fromSeconds = expect.Require("from").AsDuration(kMaxSeconds + kMaxAdvanceSeconds);
      YamlValue until = expect.Require("until");
      spec.untilSeconds = until.AsDuration(kMaxSeconds + kMaxAdvanceSeconds);
      if (spec.untilSeconds <= spec.fromSeconds) until.Fail("expected 'until' after 'from'");
      for (const char* key : {"equals", "at_least", "metric"})
        if (expect.Has(key))
          expect.FailAt(key, std::string("expected no '") + key + "' with probes");
    } else {
      spec.metric = expect.Require("metric").AsChoice(LifecycleMetricNames());
      if (auto atLeast = expect.Find("at_least")) {
        if (expect.Has("equals")) atLeast->Fail("expected either 'equals' or 'at_least', not both");
        static const std::set<std::string> kTextual = {
            "nb_global_ipsec", "nb_global_ipsec_encapsulation", "daemonsets", "version", "pod_mtu"};
        if (kTextual.count(spec.metric)) atLeast->Fail("expected 'equals' for " + spec.metric);
        spec.atLeast = atLeast->AsInteger(0, kMaxCount, "a count");
      } else {
        spec.equals = expect.Require("equals").AsString("the value the report shows");
      }
      for (const char* key : {"verdict", "from", "until"})
        if (expect.Has(key))
          expect.FailAt(key, std::string("expected no '") + key + "' with metric");
    }
    scenario_.expectLifecycle.push_back(spec);
  }

  // The first few of a long list, for error messages that stay one short line.
  static std::string FewOf(const std::vector<std::string>& names) {
    constexpr size_t kShown = 10;
    if (names.size() <= kShown) return JoinWords(names);
    return JoinWords({names.begin(), names.begin() + kShown}) + " and " +
           std::to_string(names.size() - kShown) + " more";
  }

  Scenario scenario_;
  std::map<std::string, size_t> podIndex_;     // name -> index in scenario_.pods
  std::vector<YamlValue> poolMaxUnavailable_;  // the pools' max_unavailable keys
};

int LineOf(const YAML::Mark& mark) { return mark.is_null() ? 0 : mark.line + 1; }

// What yaml-cpp's "illegal map value" and the like do not say, for the two
// causes a hand-edited file often has: a tab in the indentation of the line
// at fault or the one above it (YAML 1.2 6.1: tabs are not indentation), and
// lines that end in a carriage return alone.
std::string YamlErrorHint(const std::string& text, int line) {
  if (text.find('\r') != std::string::npos && text.find('\n') == std::string::npos)
    return "; its lines end in a carriage return alone (CR): YAML reads LF or CR LF line ends";
  std::vector<std::string> lines;
  size_t at = 0;
  while (at <= text.size() && static_cast<int>(lines.size()) < line) {
    const size_t end = std::min(text.find('\n', at), text.size());
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  for (int n = line; n >= line - 1 && n >= 1; --n) {
    if (n > static_cast<int>(lines.size())) continue;
    const std::string& l = lines[n - 1];
    const size_t indent = l.find_first_not_of(" \t");
    if (l.substr(0, indent == std::string::npos ? l.size() : indent).find('\t') !=
        std::string::npos)
      return "; line " + std::to_string(n) + " is indented with a tab: YAML indents with spaces";
  }
  return "";
}

}  // namespace

Scenario LoadScenarioText(const std::string& text, const std::string& file) {
  YamlStreamShape shape;
  YAML::Node root;
  try {
    shape = ScanYamlStream(text, file);
    // Only the first document is built: YAML::LoadAll can loop on stray tokens.
    if (shape.documents == 1) root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(file, LineOf(e.mark), "(document)",
                        "invalid YAML: " + e.msg + YamlErrorHint(text, LineOf(e.mark)));
  }
  if (shape.documents > 1) {
    throw ScenarioError(file, shape.secondDocumentLine, "(document)",
                        "expected one YAML document, found more; put each scenario in its own "
                        "file");
  }
  if (shape.documents == 0 || root.IsNull()) {
    throw ScenarioError(file, shape.documents, "(document)",
                        "the scenario is empty; expected a map with keys " + JoinWords(kTopKeys));
  }
  try {
    return ScenarioParser(file).Parse(YamlValue(root, "", file, 1));
  } catch (const YAML::Exception& e) {
    throw ScenarioError(file, LineOf(e.mark), "(document)", "unreadable YAML: " + e.msg);
  }
}

Scenario LoadScenarioFile(const std::string& path) {
  // Read as every file the user names is (models/common/user_file.h): opened
  // without blocking, judged by fstat on what was opened, and read to one
  // byte past the limit. A stat of the path and a blocking read after it let
  // /proc/kmsg (a regular file whose read waits for the kernel's next
  // message) hang the loader, and so could a file swapped for a FIFO between
  // the two.
  std::string text;
  const UserFile status = ReadUserFile(path, kMaxFileBytes, text);
  if (status == UserFile::kTooLarge) {
    throw ScenarioError(path, 0, "(file)",
                        "expected a scenario file of at most 4 MiB: the largest scenario within "
                        "the limits (5000 pods, 5000 flows) takes about 1 MiB");
  }
  if (status == UserFile::kUnreadable) throw ScenarioError(path, 0, "(file)", "could not be read");
  if (status != UserFile::kRead) {
    throw ScenarioError(
        path, 0, "(file)",
        std::string("expected a readable scenario file, but it ") + UserFileProblem(status));
  }
  return LoadScenarioText(text, path);
}

}  // namespace ipsecsim::harness
