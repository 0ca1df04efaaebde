#include "ipsec_release.h"

#include "ocp_zstreams.h"

namespace ipsecsim::sim {

std::optional<Libreswan> ParseLibreswan(const std::string& text) {
  if (text == "4.5") return Libreswan::k4_5;
  if (text == "4.6") return Libreswan::k4_6;
  if (text == "4.9") return Libreswan::k4_9;
  if (text == "5.x" || text == "5") return Libreswan::k5;
  return std::nullopt;
}

std::string ToString(Libreswan v) {
  switch (v) {
    case Libreswan::k4_5:
      return "4.5";
    case Libreswan::k4_6:
      return "4.6";
    case Libreswan::k4_9:
      return "4.9";
    case Libreswan::k5:
      return "5.x";
    case Libreswan::kDefault:
    case Libreswan::kUnspecified:
      break;
  }
  return "unspecified";
}

bool HasCrossingStreamsDefect(Libreswan v) { return v == Libreswan::k4_6 || v == Libreswan::k4_9; }

std::vector<Libreswan> ShippedLibreswan(const OcpVersion& v) {
  if (v.major == 4 && (v.minor == 14 || v.minor == 15)) return {Libreswan::k4_6, Libreswan::k4_9};
  return {};
}

IpsecRelease ReleaseFor(OcpVersion version, DaemonFixes fixes, Libreswan libreswan) {
  const OcpVersion v = Resolve(version);
  IpsecRelease r;
  r.version = v;
  r.legacyEmptyConfigOnly = !v.AtLeast(4, 15);
  r.encapsulationField = v.AtLeast(4, 16);
  r.hostExtension = v.AtLeast(4, 15);
  const bool fixed = fixes == DaemonFixes::kFixed || v.AtLeast(4, 16);
  r.initiatesBothSides = !fixed;
  r.reconcileChecksKernel = fixed;
  if (!v.AtLeast(4, 14)) {
    r.daemonSets = {kDaemonSetLegacy};
  } else {
    r.daemonSets = {kDaemonSetHost, kDaemonSetContainerized};
  }
  IpsecPodScripts& p = r.pods;
  IpsecOperatorRules& o = r.rules;
  if (v.SameMinor({4, 14})) {
    r.containerLibreswan = Libreswan::k4_6;
    r.hostLibreswan = Libreswan::k4_9;
    p.containerizedSleepsWhenHost = PodGate::kHostLibreswanRpm;
    p.hostSleepsUnlessHost = PodGate::kHostLibreswanRpm;
    p.hostFlushesAtStart = true;
    // "ipsec: add pluto restart" (#2152) reached 4.14.7.
    p.hostRestartsPluto = v.AtLeast(4, 14, 7) ? PlutoRestart::kEveryStart : PlutoRestart::kNever;
  } else if (v.SameMinor({4, 15})) {
    r.containerLibreswan = Libreswan::k4_6;
    r.hostLibreswan = v.AtLeast(4, 15, 49) ? Libreswan::k4_6 : Libreswan::k4_9;
    const bool pr2596 = v.AtLeast(4, 15, 42);
    const bool pr2658 = v.AtLeast(4, 15, 49);
    p.hostFlushesAtStart = !pr2596;
    p.hostRestartsPluto = pr2658 ? PlutoRestart::kFirstStartOnNode : PlutoRestart::kEveryStart;
    p.hostSidecar = pr2658   ? SigtermFlush::kOnlyWhenNotFull
                    : pr2596 ? SigtermFlush::kAlways
                             : SigtermFlush::kNone;
    if (pr2658) {
      p.containerizedSleepsWhenHost = PodGate::kHostIpsecServiceActive;
      p.hostSleepsUnlessHost = PodGate::kHostIpsecServiceActive;
    }
    o.createWaitDuringLegacyUpgrade = !pr2658;
    o.poolCountCondition = v.AtLeast(4, 15, 25) && !pr2658;
    o.bothUntilExtensionActive = pr2658;
    o.keepsNbIpsecInFullMode = pr2658;
  } else if (v.AtLeast(4, 16)) {
    // Sources not modelled: the 4.15.49 scripts and rules carried forward.
    r.containerLibreswan = r.hostLibreswan = Libreswan::kUnspecified;
    p.containerizedSleepsWhenHost = PodGate::kHostIpsecServiceActive;
    p.hostSleepsUnlessHost = PodGate::kHostIpsecServiceActive;
    p.hostRestartsPluto = PlutoRestart::kFirstStartOnNode;
    p.hostSidecar = SigtermFlush::kOnlyWhenNotFull;
    o.bothUntilExtensionActive = true;
    o.keepsNbIpsecInFullMode = true;
  }
  if (libreswan != Libreswan::kDefault) r.containerLibreswan = r.hostLibreswan = libreswan;
  // 4.14 ships ovn23.09 23.09.0 builds (RHSA-2024:1897); upstream tunnel
  // PMTUD came with 23.09.2 and 24.03.0. Which later releases carry it is an
  // assumption (see docs/architecture.md).
  r.ovnTunnelPmtud = v.AtLeast(4, 15);
  r.ovn = v.AtLeast(4, 15) ? "with tunnel PMTUD (24.03 / 23.09.2+)"
                           : "ovn23.09 23.09.0 (no tunnel PMTUD)";
  return r;
}

}  // namespace ipsecsim::sim
