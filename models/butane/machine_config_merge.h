// The MCO's merge of a pool's MachineConfigs into the one it renders
// (openshift/machine-config-operator 19ba3dda pkg/controller/common/helpers.go,
// MergeMachineConfigs): the worker role's first and then the others, each
// group sorted by name; the first one's Ignition config is the base and every
// later one is merged into it (ign3.Merge: an entry of the same key, a file's
// path or a unit's name, takes the later one's fields); extensions and
// kernel arguments are concatenated.
#pragma once

#include <vector>

#include "machine_config.h"

namespace ipsecsim::butane {

// `configs` must not be empty. The result's name joins theirs with '+'.
MachineConfig MergeMachineConfigs(std::vector<MachineConfig> configs);

}  // namespace ipsecsim::butane
