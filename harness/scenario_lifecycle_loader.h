// Loads the scenario's `lifecycle:` section strictly, and rehearses its
// procedure against the Network operator's API (patches, versions) so that
// a patch the API server would refuse, or an impossible update, stops the
// run before it starts, at the step's line.
#pragma once

#include <string>
#include <vector>

#include "lifecycle_spec.h"
#include "yaml_reader.h"

namespace ipsecsim::harness {

// The cluster as installed: its version, the install-time `ipsecConfig` as
// JSON text ("null" when absent), the pod MTU and the machines' MTU.
struct InstalledCluster {
  std::string version;
  std::string ipsecConfigJson;
  int clusterMtu = 1400;
  int hostMtu = 1500;
  std::vector<std::string> pools;  // the MachineConfigPools' names
  double durationSeconds = 0;      // the scenario's duration: (0: until settled)
};

// A MachineConfigPool's spec.maxUnavailable: a count (0 counts as 1, as the
// MCO takes it) or a percentage such as 25%.
sim::MaxUnavailable ParseMaxUnavailable(const YamlValue& value);

LifecycleSpec ParseLifecycle(const YamlValue& value, const InstalledCluster& installed);

}  // namespace ipsecsim::harness
