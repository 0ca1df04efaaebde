// A MachineConfigPool as the Machine Config Operator sees it: how many of
// its nodes it updates at once (spec.maxUnavailable), and its status
// (conditions and machine counts) computed from its nodes' states, as
// `oc get mcp` prints it (docs/lifecycle.md, "Machine-config pools").
#pragma once

#include <string>
#include <vector>

namespace ipsecsim::sim {

// spec.maxUnavailable, an IntOrString: a count, or a percentage of the pool.
struct MaxUnavailable {
  int value = 1;
  bool percent = false;
  MaxUnavailable() = default;
  MaxUnavailable(int count) : value(count) {}  // NOLINT: a count, as the API takes an int
  static MaxUnavailable Percent(int p) {
    MaxUnavailable m(p);
    m.percent = true;
    return m;
  }
  std::string ToString() const { return std::to_string(value) + (percent ? "%" : ""); }
};

// Nodes of a pool of `poolSize` the MCO lets be unavailable at once: a
// percentage rounds down, and 0 counts as 1.
int ScaledMaxUnavailable(const MaxUnavailable& m, int poolSize);

// One node of a pool, as the MCO's node controller reads it.
struct PoolNode {
  bool atTarget = false;  // its current config is the pool's target config
  bool done = true;       // its machine-config daemon is not working on an update
  bool ready = true;      // kubelet Ready and schedulable (not cordoned)
  bool degraded = false;  // its daemon reports Degraded or Unreconcilable
};

// The status `oc get mcp` prints, one row per pool.
struct PoolStatus {
  std::string name;
  std::string configuration;  // status.configuration.name (CONFIG)
  std::string target;         // spec.configuration.name: what it rolls to
  bool updated = false;
  bool updating = false;
  bool degraded = false;
  int machineCount = 0;
  int readyMachineCount = 0;
  int updatedMachineCount = 0;
  int degradedMachineCount = 0;
  int unavailableMachineCount = 0;
};

// calculateStatus: `configuration` is the pool's status.configuration so
// far; it becomes `target` once every machine is updated and ready.
PoolStatus CalculatePoolStatus(const std::string& name, const std::string& configuration,
                               const std::string& target, const std::vector<PoolNode>& nodes);

// The pools at one moment of a procedure: the install, or a step's end.
struct PoolSnapshot {
  double seconds = 0;
  std::string step;  // "install", or "step N: <the step>"
  std::vector<PoolStatus> pools;
};

}  // namespace ipsecsim::sim
