// The resource limits of a scenario (docs/scenario-reference.md, "Limits").
// Each bounds what one run may cost; the loader's error for each says why.
#pragma once

#include <cstddef>

namespace ipsecsim::harness {

// yaml-cpp builds the whole document before the loader sees it; its time and
// memory grow with the file.
inline constexpr unsigned long long kMaxFileBytes = 4ULL * 1024 * 1024;
// Nodes in all pools: Kubernetes supports clusters of up to 5000 nodes
// (kubernetes.io, "Considerations for large clusters"), and each is a
// simulated host with its own IP stack and link. The address plan
// (cluster.network, sim/network_plan.h) may allow fewer: 512 with the
// default 10.128.0.0/14 and hostPrefix 23.
inline constexpr int kMaxNodes = 5000;
// With IPsec every pair of nodes has its IKE SAs and Child SAs (a full mesh):
// memory and time grow with the square of the node count. An install with
// modelled IKE crypto costs about 62 KiB per node pair at 100 nodes, and
// more per pair in larger clusters (bench_scale, results/scale/): 512 nodes
// have 130,816 pairs, at least 8 GiB.
inline constexpr int kMaxIpsecNodes = 512;
// MTUs: none below 576, the IPv4 minimum; cluster.host_mtu and a machine MTU
// the MTU change procedure sets at most 9216, the jumbo frame the simulated
// NICs carry.
inline constexpr int kMinMtu = 576;
inline constexpr int kMaxHostMtu = 9216;
// Pods on one node: what its node subnet holds (sim::NetworkPlan::PodsPerNode,
// 508 for a /23: the router port is .1, the management port .2, pods from .3
// to .510, .511 is the broadcast address), at most kMaxPods.
// Every pod is an ns-3 node with its own IP stack.
inline constexpr int kMaxPods = 5000;
inline constexpr int kMaxFlows = 5000;
// Every packet of every flow is scheduled, with its payload, when the
// simulation starts: the sum over flows of packets and of packets x size.
inline constexpr long long kMaxScheduledPackets = 2000000;
inline constexpr long long kMaxScheduledBytes = 1LL << 30;  // 1 GiB
// The longest simulated time any duration may name; periodic work (IKE
// liveness, probes, samples) costs real time for every simulated second.
inline constexpr double kMaxSeconds = 48 * 3600.0;
// A procedure's advance steps together: quiet time costs little wall time
// (sampled hourly, no probes), and ns-3's clock holds 292 years.
inline constexpr double kMaxAdvanceSeconds = 30 * 365 * 86400.0;
// Probes and pair-state samples recur over the whole run, for every pair of
// nodes: at most one every 10 ms.
inline constexpr double kMinPeriodSeconds = 0.01;
// Slower links are not cluster NICs: at 100kbps one 9216-byte frame takes
// longer than the 0.5 s after which IKE retransmits.
inline constexpr double kMinLinkBitsPerSecond = 1e6;
// ns-3 counts link rates in whole bits per second (uint64_t).
inline constexpr double kMaxLinkBitsPerSecond = 1e12;

}  // namespace ipsecsim::harness
