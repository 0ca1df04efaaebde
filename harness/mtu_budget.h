// The cluster's MTU budget set against the exact per-packet overhead, so a
// report can say where the documented 46-byte IPsec reduction is more than
// needed or not enough.
#pragma once

#include "mtu_arithmetic.h"
#include "report.h"
#include "scenario.h"

namespace ipsecsim::harness {

// natBetweenNodes: some node is behind a NAT, so IKE moves the ESP of its
// pairs into UDP 4500 even with encapsulation Auto; the budget is the worst pair's.
// family: the node IPs' family, which sets the outer header (Geneve 58 or 78 bytes).
// pathMtu: underlay.path_mtu when the core is smaller than the hosts' links (0: not).
MtuBudget ComputeMtuBudget(const ClusterSpec& cluster, bool natBetweenNodes = false,
                           sim::mtu::UnderlayFamily family = sim::mtu::UnderlayFamily::kIpv4,
                           int pathMtu = 0);

}  // namespace ipsecsim::harness
