// IPsec Full mode as ovs-monitor-ipsec configures it, with keys installed
// directly (until IKE negotiates them): for every remote node, the "out"
// connection (local node IP, any UDP port -> remote node IP, UDP 6081) and the
// "in" connection (local node IP, UDP 6081 -> remote node IP, any UDP port),
// each a transport-mode Child SA with one ESP SA per direction. That is
// 4 x (N - 1) SA states and 4 x (N - 1) policies per node. auto=route: the
// policies trap; there is no drop shunt. The node IPs are the underlay's
// (IPv6 ones on an IPv6 underlay).
#pragma once

#include <cstdint>
#include <vector>

#include "cluster_world.h"
#include "xfrm_stack.h"

namespace ipsecsim::sim {

struct FullMeshOptions {
  uint64_t seed = 1;
  bool udpEncapsulation = false;  // ESP in UDP 4500 (forced NAT-T)
};

// Installs an XfrmStack on every node host and the policies and SAs of every
// node pair. Returns the stacks in node order.
std::vector<ns3::Ptr<xfrm::XfrmStack>> InstallFullMesh(ClusterWorld& world,
                                                       const FullMeshOptions& options);

}  // namespace ipsecsim::sim
