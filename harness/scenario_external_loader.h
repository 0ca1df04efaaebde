// Loads the scenario's `external:` section strictly: unknown keys, a host
// name that clashes with a node, an address inside the cluster's networks,
// and files that do not exist are ScenarioErrors at the offending key. The
// files themselves are read by harness/external before the simulation.
#pragma once

#include <string>
#include <vector>

#include "network_plan.h"
#include "scenario.h"
#include "yaml_reader.h"

namespace ipsecsim::harness {

// A file the scenario names, resolved against the scenario's directory; it
// must be a regular file (`what` says what it should hold).
ExternalFileRef ParseExternalFile(const YamlValue& value, const char* what);

ExternalSpec ParseExternal(const YamlValue& value, const std::vector<std::string>& nodeNames,
                           const sim::NetworkPlan& network);

}  // namespace ipsecsim::harness
