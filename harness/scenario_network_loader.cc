#include "scenario_network_loader.h"

#include <algorithm>

#include "scenario_limits.h"

namespace ipsecsim::harness {
namespace {

const std::vector<std::string> kNetworkKeys = {"cluster_network", "host_prefix", "machine_network"};

// Networks install-config holds the cluster and machine networks clear of
// (openshift/installer pkg/types/validation/installconfig.go): the service
// network, which ipsecsim does not model and leaves at its default, and
// OVN-Kubernetes's default join, transit and masquerade subnets
// (ovn-kubernetes go-controller/pkg/config/config.go).
struct Reserved {
  sim::Ipv4Cidr cidr;
  const char* what;
};
const Reserved kReserved[] = {
    {{0xAC1E0000u, 16}, "service network 0 (172.30.0.0/16, install-config's default)"},
    {{0x64400000u, 16}, "OVNKubernetes default internal subnet 100.64.0.0/16"},
    {{0x64580000u, 16}, "OVNKubernetes default transit subnet 100.88.0.0/16"},
    {{0xA9FEA900u, 29}, "OVNKubernetes default masquerade subnet 169.254.169.0/29"},
};

sim::Ipv4Cidr ParseCidr(const YamlValue& value, const std::string& what) {
  const std::string text = value.AsString(what);
  std::string why;
  std::optional<sim::Ipv4Cidr> cidr = sim::ParseIpv4Cidr(text, &why);
  if (!cidr && text.find(':') != std::string::npos) {
    value.Fail(
        "expected an IPv4 CIDR: pods are IPv4 in ipsecsim, also with cluster.ip_family: "
        "ipv6 (whose node IPs are on fd00:10::/64), got '" +
        text + "'");
  }
  if (!cidr) value.Fail("expected " + why);
  return *cidr;
}

void RequireClear(const YamlValue& value, const sim::Ipv4Cidr& cidr, const std::string& name) {
  for (const Reserved& r : kReserved) {
    if (cidr.Overlaps(r.cidr))
      value.Fail("expected a " + name + " the installer accepts: " + cidr.ToString() +
                 " must not overlap with " + r.what);
  }
}

}  // namespace

sim::NetworkPlan ParseNetwork(const YamlValue& value) {
  const YamlMap map =
      value.AsMap(kNetworkKeys,
                  "a network map such as {cluster_network: 10.128.0.0/14, host_prefix: 23, "
                  "machine_network: 10.0.0.0/16}");
  sim::NetworkPlan plan;
  std::optional<YamlValue> cluster = map.Find("cluster_network");
  if (cluster) {
    plan.clusterNetwork = ParseCidr(*cluster, "an IPv4 CIDR");
    RequireClear(*cluster, plan.clusterNetwork, "cluster network");
  }
  if (auto machine = map.Find("machine_network")) {
    plan.machineNetwork = ParseCidr(*machine, "an IPv4 CIDR");
    RequireClear(*machine, plan.machineNetwork, "machine network");
    if (plan.machineNetwork.prefix > 28)
      machine->Fail("expected a machine network of /28 or larger for node IPs from ." +
                    std::to_string(sim::NetworkPlan::kFirstNodeHost) + ", got " +
                    plan.machineNetwork.ToString());
  }
  if (plan.clusterNetwork.Overlaps(plan.machineNetwork)) {
    const std::string message = "expected networks the installer accepts: cluster network " +
                                plan.clusterNetwork.ToString() +
                                " must not overlap with any of the machine networks (" +
                                plan.machineNetwork.ToString() + ")";
    if (cluster) cluster->Fail(message);
    map.FailAt("machine_network", message);
  }
  const int clusterPrefix = plan.clusterNetwork.prefix;
  if (auto host = map.Find("host_prefix")) {
    plan.hostPrefix = int(host->AsInteger(0, 32, "a host prefix"));
    if (plan.hostPrefix < clusterPrefix)
      host->Fail("expected a host_prefix of at least " + std::to_string(clusterPrefix) + ", got " +
                 std::to_string(plan.hostPrefix) +
                 ": cluster network host subnetwork prefix must not be larger size than CIDR " +
                 plan.clusterNetwork.ToString());
    if (plan.hostPrefix > sim::kMaxHostPrefix)
      host->Fail("expected a host_prefix of at most " + std::to_string(sim::kMaxHostPrefix) +
                 ", got " + std::to_string(plan.hostPrefix) + ": a /" +
                 std::to_string(plan.hostPrefix) + " has " +
                 std::to_string(uint64_t(1) << (32 - plan.hostPrefix)) +
                 " addresses, and the network address, .1 (the OVN router port), .2 (the "
                 "management port), one pod and the broadcast address need 5");
  } else if (cluster && plan.hostPrefix < clusterPrefix) {
    cluster->Fail("expected a cluster network of /" + std::to_string(plan.hostPrefix) +
                  " or larger for the default host_prefix " + std::to_string(plan.hostPrefix) +
                  " (or a host_prefix from " + std::to_string(clusterPrefix) + " to " +
                  std::to_string(sim::kMaxHostPrefix) + "), got " + plan.clusterNetwork.ToString());
  }
  return plan;
}

std::string NodesDoNotFit(const sim::NetworkPlan& plan, long long nodes, bool withNats) {
  const uint64_t n = uint64_t(nodes);
  const std::string count = std::to_string(nodes) + " nodes";
  const std::string hostPrefix = std::to_string(plan.hostPrefix);
  if (n > plan.NodeSubnets()) {
    const int needed = sim::ClusterPrefixFor(n, plan.hostPrefix);
    std::string message = count + " need ";
    message += needed < 0 ? "more node subnets than any IPv4 cluster network has"
                          : "a /" + std::to_string(needed) + " cluster network";
    message += " with host_prefix " + hostPrefix + "; " + plan.clusterNetwork.ToString() +
               " holds " + std::to_string(plan.NodeSubnets()) + " (one /" + hostPrefix +
               " per node; cluster.network sets cluster_network and host_prefix)";
    return message;
  }
  const uint64_t ips = plan.NodeIps(withNats);
  if (n > ips) {
    const uint32_t first = plan.machineNetwork.address + sim::NetworkPlan::kFirstNodeHost;
    return count + " need " + std::to_string(n) + " node IPs from " + sim::Ipv4Text(first) +
           "; the machine network " + plan.machineNetwork.ToString() + " holds " +
           std::to_string(ips) +
           (withNats ? " below the NATs' public addresses" : " below its broadcast address") +
           " (cluster.network.machine_network)";
  }
  return "";
}

long long MaxPodsPerNode(const sim::NetworkPlan& plan) {
  return std::min<long long>(static_cast<long long>(plan.PodsPerNode()), kMaxPods);
}

}  // namespace ipsecsim::harness
