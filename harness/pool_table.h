// The machine-config pools as `oc get mcp` prints them, in the terminal and
// in report.json (lifecycle.pools).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "machine_config_pool.h"

namespace ipsecsim::harness {

// NAME CONFIG UPDATED UPDATING DEGRADED MACHINECOUNT READYMACHINECOUNT
// UPDATEDMACHINECOUNT DEGRADEDMACHINECOUNT, each line prefixed by `indent`.
std::string FormatPoolTable(const std::vector<sim::PoolStatus>& pools,
                            const std::string& indent = "  ");
nlohmann::ordered_json PoolSnapshotsJson(const std::vector<sim::PoolSnapshot>& snapshots);

}  // namespace ipsecsim::harness
