#include "machine_config_pool.h"

#include <cmath>

namespace ipsecsim::sim {

// MCO pkg/controller/node/node_controller.go, maxUnavailable():
// intstr.GetScaledValueFromIntOrPercent(..., len(nodes), false), then 0 -> 1.
int ScaledMaxUnavailable(const MaxUnavailable& m, int poolSize) {
  const int n = m.percent ? int(std::floor(double(m.value) * double(poolSize) / 100.0)) : m.value;
  return n == 0 ? 1 : n;
}

// MCO pkg/controller/node/status.go, calculateStatus() without
// MachineConfigNodes: getUpdatedMachines, getReadyMachines (updated and
// ready), getUnavailableMachines, getDegradedMachines; Updated when every
// machine is updated and ready and none unavailable, and only then
// status.configuration takes spec.configuration; Updating otherwise (no
// pool is paused here); Degraded when a machine is.
PoolStatus CalculatePoolStatus(const std::string& name, const std::string& configuration,
                               const std::string& target, const std::vector<PoolNode>& nodes) {
  PoolStatus s;
  s.name = name;
  s.configuration = configuration;
  s.target = target;
  s.machineCount = int(nodes.size());
  for (const PoolNode& n : nodes) {
    const bool updated = n.atTarget && n.done;
    s.updatedMachineCount += updated;
    s.readyMachineCount += updated && n.ready;
    s.unavailableMachineCount += !n.ready || (!n.done && !n.degraded);
    s.degradedMachineCount += n.degraded;
  }
  s.updated = s.updatedMachineCount == s.machineCount && s.readyMachineCount == s.machineCount &&
              s.unavailableMachineCount == 0;
  s.updating = !s.updated;
  s.degraded = s.degradedMachineCount > 0;
  if (s.updated) s.configuration = target;
  return s;
}

}  // namespace ipsecsim::sim
