// What each release ships for IPsec (mechanics §5 and §7): where pluto
// runs, which DaemonSets and MachineConfigs the operator renders, and how
// the daemons behave. docs/lifecycle.md lists the table and its sources.
#pragma once

#include <string>
#include <vector>

#include "ocp_version.h"

namespace ipsecsim::sim {

// The vendor's later z-stream fixes (mechanics §7): a pinned, stable
// libreswan and initiation from one side only.
enum class DaemonFixes { kStock, kFixed };

struct IpsecRelease {
  OcpVersion version;
  std::string libreswan;  // what the daemons behave like, for the report
  // How its daemons behave (mechanics §7).
  bool initiatesBothSides = true;      // both ends start both connections of a pair
  bool crossingStreamsDefect = false;  // libreswan mishandles simultaneous initiation
  // ovs-monitor-ipsec counts a connection active only if the kernel holds
  // its Child SA, and restarts it otherwise.
  bool reconcileChecksKernel = false;
  // DaemonSets rendered in Full mode; when two are rendered, the host one
  // serves the nodes whose host has libreswan and the containerized one the
  // others.
  std::vector<std::string> daemonSets;
  // The containerized daemon flushes xfrm state and policy when it starts.
  bool containerizedFlushes = false;
  // 4.15+: MachineConfigs that install the host ipsec extension (a reboot).
  bool hostExtension = false;
  bool legacyEmptyConfigOnly = false;  // <= 4.14: ipsecConfig is an empty object
  bool encapsulationField = false;     // 4.16+: full.encapsulation
  // The OVN build the release's ovn-kubernetes image carries, and whether
  // it forwards the tunnel's ICMP "fragmentation needed" to the pod (tunnel
  // PMTUD, ovn-org/ovn 221476a01; docs/architecture.md has the table).
  std::string ovn;
  bool ovnTunnelPmtud = false;
};

IpsecRelease ReleaseFor(OcpVersion version, DaemonFixes fixes);

constexpr char kDaemonSetLegacy[] = "ovn-ipsec";
constexpr char kDaemonSetHost[] = "ovn-ipsec-host";
constexpr char kDaemonSetContainerized[] = "ovn-ipsec-containerized";

}  // namespace ipsecsim::sim
