// IPsec Full mode with every SA negotiated by IKEv2, as ovs-monitor-ipsec
// and pluto run it: on every node an IKE daemon with the node's certificate,
// and for every remote node the two transport-mode connections over Geneve
// (mechanics §2):
//   out: local node IP, any UDP port  -> remote node IP, UDP 6081
//   in:  local node IP, UDP 6081      -> remote node IP, any UDP port
// Newer versions start only the "out" connections and merely load the "in"
// ones; older versions start both from both sides (mechanics §7).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cluster_world.h"
#include "ike_connection.h"
#include "ike_daemon.h"
#include "node_ipsec.h"
#include "ovs_monitor_ipsec.h"
#include "xfrm_stack.h"

namespace ipsecsim::sim {

struct IkeMeshOptions {
  uint64_t seed = 1;
  int64_t epochSeconds = 0;   // UNIX time at simulated time 0, for certificate checks
  double startSeconds = 0.1;  // when the daemons start their connections
  // How every daemon of the mesh behaves (initiation, crossing resolution,
  // ovs-monitor-ipsec's period, forced encapsulation, modelled crypto).
  DaemonBehaviour behaviour;
  // Libreswan's keep-alive (config setup): the NAT-T keepalive period of
  // every daemon; 0 sends none.
  double natKeepaliveSeconds = 20;
};

struct IkeMesh {
  std::vector<ns3::Ptr<xfrm::XfrmStack>> stacks;
  // Each node's IPsec processes, which DaemonSet rollouts and reboots restart.
  std::vector<std::shared_ptr<NodeIpsec>> nodes;
  // The processes InstallIkeMesh started (load at options.startSeconds).
  std::vector<ns3::Ptr<ike::IkeDaemon>> daemons;
  std::vector<std::shared_ptr<OvsMonitorIpsec>> monitors;
};

// Every node's NodeIpsec, without starting any daemon.
IkeMesh PrepareIkeMesh(ClusterWorld& world, const std::vector<ike::IkeIdentity>& identities,
                       const IkeMeshOptions& options);

// Starts every node's daemon of a prepared mesh (connections load at
// options.startSeconds).
void StartIkeMesh(IkeMesh& mesh, const IkeMeshOptions& options);

// PrepareIkeMesh, then StartIkeMesh. identities[i] is node i's (certificate, key, @system-id, CA
// bundle).
IkeMesh InstallIkeMesh(ClusterWorld& world, const std::vector<ike::IkeIdentity>& identities,
                       const IkeMeshOptions& options);

}  // namespace ipsecsim::sim
