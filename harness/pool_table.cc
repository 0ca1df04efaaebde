#include "pool_table.h"

#include <algorithm>
#include <sstream>

namespace ipsecsim::harness {

namespace {
const char* Condition(bool status) { return status ? "True" : "False"; }
}  // namespace

// The columns are the MachineConfigPool CRD's printer columns (openshift/api
// machineconfiguration/v1/types.go, +kubebuilder:printcolumn) but AGE,
// uppercased and aligned as kubectl's table printer does (cli-runtime
// pkg/printers: minimum width 6, padding 3, the last column unpadded).
std::string FormatPoolTable(const std::vector<sim::PoolStatus>& pools, const std::string& indent) {
  std::vector<std::vector<std::string>> rows = {{"NAME", "CONFIG", "UPDATED", "UPDATING",
                                                 "DEGRADED", "MACHINECOUNT", "READYMACHINECOUNT",
                                                 "UPDATEDMACHINECOUNT", "DEGRADEDMACHINECOUNT"}};
  for (const sim::PoolStatus& p : pools) {
    rows.push_back({p.name, p.configuration, Condition(p.updated), Condition(p.updating),
                    Condition(p.degraded), std::to_string(p.machineCount),
                    std::to_string(p.readyMachineCount), std::to_string(p.updatedMachineCount),
                    std::to_string(p.degradedMachineCount)});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c)
      width[c] = std::max({width[c], row[c].size() + 3, size_t(6)});
  std::ostringstream out;
  for (const auto& row : rows) {
    out << indent;
    for (size_t c = 0; c < row.size(); ++c) {
      out << row[c];
      if (c + 1 < row.size()) out << std::string(width[c] - row[c].size(), ' ');
    }
    out << "\n";
  }
  return out.str();
}

nlohmann::ordered_json PoolSnapshotsJson(const std::vector<sim::PoolSnapshot>& snapshots) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const sim::PoolSnapshot& s : snapshots) {
    nlohmann::ordered_json pools = nlohmann::ordered_json::array();
    for (const sim::PoolStatus& p : s.pools) {
      pools.push_back({{"name", p.name},
                       {"config", p.configuration},
                       {"target", p.target},
                       {"updated", p.updated},
                       {"updating", p.updating},
                       {"degraded", p.degraded},
                       {"machine_count", p.machineCount},
                       {"ready_machine_count", p.readyMachineCount},
                       {"updated_machine_count", p.updatedMachineCount},
                       {"degraded_machine_count", p.degradedMachineCount},
                       {"unavailable_machine_count", p.unavailableMachineCount}});
    }
    out.push_back({{"at", s.seconds}, {"step", s.step}, {"pools", pools}});
  }
  return out;
}

}  // namespace ipsecsim::harness
