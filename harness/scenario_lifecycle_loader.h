// Loads the scenario's `lifecycle:` section strictly, and rehearses its
// procedure against the Network operator's API (patches, versions) so that
// a patch the API server would refuse, or an impossible update, stops the
// run before it starts, at the step's line.
#pragma once

#include <string>

#include "lifecycle_spec.h"
#include "yaml_reader.h"

namespace ipsecsim::harness {

// version: the cluster's version at install; ipsecConfig: the install-time
// `ipsecConfig` as JSON text ("null" when absent).
LifecycleSpec ParseLifecycle(const YamlValue& value, const std::string& version,
                             const std::string& ipsecConfigJson);

}  // namespace ipsecsim::harness
