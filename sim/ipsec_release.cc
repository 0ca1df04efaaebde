#include "ipsec_release.h"

namespace ipsecsim::sim {

IpsecRelease ReleaseFor(OcpVersion version, DaemonFixes fixes) {
  IpsecRelease r;
  r.version = version;
  r.legacyEmptyConfigOnly = !version.AtLeast(4, 15);
  r.encapsulationField = version.AtLeast(4, 16);
  // The libreswan builds shipped around 4.14/4.15 mishandle crossing streams,
  // and the monitors start both connections of a pair from both ends until
  // the vendor's fix starts only "out" and checks the kernel.
  const bool fixed = fixes == DaemonFixes::kFixed || version.AtLeast(4, 16);
  r.crossingStreamsDefect = !fixed && version.AtLeast(4, 14);
  r.initiatesBothSides = !fixed;
  r.reconcileChecksKernel = fixed;
  r.libreswan = r.crossingStreamsDefect ? "4.x with the crossing-streams defect" : "pinned stable";
  if (!version.AtLeast(4, 14)) {
    r.daemonSets = {kDaemonSetLegacy};
  } else {
    r.daemonSets = {kDaemonSetHost, kDaemonSetContainerized};
    r.containerizedFlushes = true;
  }
  r.hostExtension = version.AtLeast(4, 15);
  // 4.14 ships ovn23.09 23.09.0 builds (RHSA-2024:1897); upstream tunnel
  // PMTUD came with 23.09.2 and 24.03.0. Which later releases carry it is an
  // assumption (see docs/architecture.md).
  r.ovnTunnelPmtud = version.AtLeast(4, 15);
  r.ovn = version.AtLeast(4, 15) ? "with tunnel PMTUD (24.03 / 23.09.2+)"
                                 : "ovn23.09 23.09.0 (no tunnel PMTUD)";
  return r;
}

}  // namespace ipsecsim::sim
