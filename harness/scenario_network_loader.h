// Loads the scenario's `cluster.network` (the cluster network, its
// hostPrefix and the machine network the address plan is computed from) and
// checks a cluster against it: install-config's rules for the networks, and
// whether the nodes, their pods and the NATs' addresses fit
// (docs/scenario-reference.md, cluster.network).
#pragma once

#include <string>
#include <vector>

#include "network_plan.h"
#include "scenario.h"
#include "yaml_reader.h"

namespace ipsecsim::harness {

// cluster.network, strictly: CIDR syntax, IPv4, no host bits, hostPrefix
// from the cluster prefix to sim::kMaxHostPrefix, no overlap between the
// networks nor with the default service network and OVN-Kubernetes's own
// subnets.
sim::NetworkPlan ParseNetwork(const YamlValue& value);

// Why `nodes` nodes do not fit in `plan` (node subnets or node IPs), or ""
// when they do. `withNats`: the NATs' public addresses are taken from the
// machine network too.
std::string NodesDoNotFit(const sim::NetworkPlan& plan, long long nodes, bool withNats);

// The most pods one node holds: its subnet's pod addresses, at most kMaxPods.
long long MaxPodsPerNode(const sim::NetworkPlan& plan);

}  // namespace ipsecsim::harness
