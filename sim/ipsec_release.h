// What each release ships for IPsec, per z-stream where the operator's
// manifests changed: which DaemonSets and MachineConfigs the operator
// renders and when, what the two IPsec pods' scripts do when they start and
// stop, and which libreswan their plutos are. docs/lifecycle.md gives the
// source of every field (repository, branch or commit, file).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ocp_version.h"

namespace ipsecsim::sim {

// The vendor's daemon fixes: ovs-monitor-ipsec starts only the "out"
// connections and counts a connection active only when the kernel holds
// its Child SA.
enum class DaemonFixes { kStock, kFixed };

// A libreswan build. kDefault: the one the release ships.
enum class Libreswan { kDefault, kUnspecified, k4_5, k4_6, k4_9, k5 };
std::optional<Libreswan> ParseLibreswan(const std::string& text);  // "4.5", "4.6", "4.9", "5.x"
std::string ToString(Libreswan v);
// libreswan issue #1903: 4.6 to 4.15 mishandle simultaneous initiation.
bool HasCrossingStreamsDefect(Libreswan v);
// The builds some release of this minor shipped (empty: the sources name none).
std::vector<Libreswan> ShippedLibreswan(const OcpVersion& v);

// What a pod's script checks before it acts.
enum class PodGate {
  kNone,
  kHostLibreswanRpm,        // rpm --dbpath=/usr/share/rpm -q libreswan
  kHostIpsecServiceActive,  // systemctl is-active ipsec.service (while both DaemonSets exist)
};
// When the host pod runs `chroot /proc/1/root ipsec restart`.
enum class PlutoRestart { kNever, kEveryStart, kFirstStartOnNode };
// The ovn-ipsec-cleanup sidecar's flush on SIGTERM.
enum class SigtermFlush { kNone, kAlways, kOnlyWhenNotFull };

struct IpsecPodScripts {
  // ovn-ipsec-containerized sleeps (no flush, no pluto) when the gate finds
  // the host serving IPsec; otherwise it flushes xfrm state and policy and
  // runs its own pluto. On SIGTERM its pluto dies without a Delete.
  PodGate containerizedSleepsWhenHost = PodGate::kNone;
  // ovn-ipsec-host sleeps unless the gate finds the host serving IPsec; then
  // it needs a running pluto (pgrep pluto, else exit 2), may flush, may
  // restart the host's pluto, and runs ovs-monitor-ipsec. Its preStop only
  // kills ovs-monitor-ipsec: the host's pluto and the kernel's SAs stay.
  PodGate hostSleepsUnlessHost = PodGate::kNone;
  bool hostFlushesAtStart = false;
  PlutoRestart hostRestartsPluto = PlutoRestart::kNever;
  // 4.15.42-4.15.48 test `mode != Full || ipsecConfig != {}`, true for every
  // Full-mode object (kAlways); 4.15.49+ test `&&` (kOnlyWhenNotFull).
  SigtermFlush hostSidecar = SigtermFlush::kNone;
};

// How the operator renders the IPsec DaemonSets (shouldRenderIPsec).
struct IpsecOperatorRules {
  // 4.15.0-4.15.48: while both 4.14 DaemonSets exist and the extension is
  // not active on every pool, both are rendered create-wait: left as they are.
  bool createWaitDuringLegacyUpgrade = false;
  // 4.15.25-4.15.48: a pool counts as having the extension only while none
  // of its machines is being updated (MachineCount == UpdatedMachineCount).
  bool poolCountCondition = false;
  // 4.15.49+: both DaemonSets are rendered and applied at once until the
  // extension is active on every pool; the pods' gates pick the active one.
  bool bothUntilExtensionActive = false;
  // 4.15.49+ (c0a9387c4): NB_Global ipsec stays on while the mode is Full,
  // instead of following the rendered DaemonSets.
  bool keepsNbIpsecInFullMode = false;
};

struct IpsecRelease {
  OcpVersion version;  // resolved to a z-stream
  Libreswan containerLibreswan = Libreswan::kUnspecified;
  Libreswan hostLibreswan = Libreswan::kUnspecified;
  bool initiatesBothSides = true;  // both ends start both connections of a pair
  bool reconcileChecksKernel = false;
  std::vector<std::string> daemonSets;  // rendered in Full mode, before the rules above
  IpsecPodScripts pods;
  IpsecOperatorRules rules;
  bool hostExtension = false;          // 4.15+: MachineConfigs install libreswan on the host
  bool legacyEmptyConfigOnly = false;  // <= 4.14: ipsecConfig is an empty object
  bool encapsulationField = false;     // 4.16+: full.encapsulation
  // The OVN build the release's ovn-kubernetes image carries, and whether
  // it forwards the tunnel's ICMP "fragmentation needed" to the pod (tunnel
  // PMTUD, ovn-org/ovn 221476a01; docs/architecture.md has the table).
  std::string ovn;
  bool ovnTunnelPmtud = false;
};

IpsecRelease ReleaseFor(OcpVersion version, DaemonFixes fixes,
                        Libreswan libreswan = Libreswan::kDefault);

constexpr char kDaemonSetLegacy[] = "ovn-ipsec";
constexpr char kDaemonSetHost[] = "ovn-ipsec-host";
constexpr char kDaemonSetContainerized[] = "ovn-ipsec-containerized";

}  // namespace ipsecsim::sim
