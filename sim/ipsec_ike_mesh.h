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
  int64_t epochSeconds = 0;  // UNIX time at simulated time 0, for certificate checks
  InitiationPolicy initiation = InitiationPolicy::kOutOnly;
  double startSeconds = 0.1;  // when the daemons start their connections
  // Libreswan encapsulation=yes on every connection: IKE floats to UDP 4500
  // and ESP travels in UDP 4500 (IBM Cloud; full.encapsulation: Always).
  bool forceEncapsulation = false;
  double reconcileSeconds = 15;  // ovs-monitor-ipsec's period; 0 disables it
  ike::CrossingStreamsProfile crossing = ike::CrossingStreamsProfile::kRfc7296;
  bool modelledCrypto = false;
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

DaemonBehaviour BehaviourOf(const IkeMeshOptions& options);
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
