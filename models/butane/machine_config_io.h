// The MachineConfig document itself: written as butane writes it (JSON
// field names of machineconfiguration.openshift.io/v1 and Ignition 3.4.0),
// and read back from the YAML or JSON a user would `oc apply`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "machine_config.h"

namespace ipsecsim::butane {

nlohmann::json ToJson(const MachineConfig& mc);

// Throws ConfigError when it is not a MachineConfig at all; the rest are notices.
ReadResult ReadMachineConfig(const std::string& text, const std::string& file);

}  // namespace ipsecsim::butane
