// Findings about the MachineConfig (from Butane, or given as is): what the
// node does with it when the MCO rolls it out (docs/external-endpoints.md §5).
#pragma once

#include <string>

#include "finding.h"
#include "machine_config.h"

namespace ipsecsim::check {

void CheckMachineConfig(const butane::MachineConfig& mc, const std::string& display,
                        Findings& findings);

// The path of the script a unit's ExecStart= runs, or "".
std::string ExecStartPath(const std::string& unitContents);

}  // namespace ipsecsim::check
