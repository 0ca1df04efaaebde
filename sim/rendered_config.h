// The name the MCO's render controller gives a pool's merged
// MachineConfig: rendered-<pool>-<md5 hex> (docs/lifecycle.md).
#pragma once

#include <string>

namespace ipsecsim::sim {

// `content` stands for the merged MachineConfig's spec: the same content,
// the same name; any change, another.
std::string RenderedConfigName(const std::string& pool, const std::string& content);

}  // namespace ipsecsim::sim
