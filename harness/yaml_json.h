// A YAML value as the JSON document it stands for, the way oc reads a patch
// given as YAML: plain scalars are typed by YAML 1.2's core schema (true,
// null, 12, 1.5), quoted ones stay strings.
#pragma once

#include <nlohmann/json.hpp>

#include "yaml_reader.h"

namespace ipsecsim::harness {

// A Network object holds a few dozen values; YAML aliases can make a small
// file stand for billions, so the expanded patch is bounded (ipsecsim's own
// limit, far above any real patch).
inline constexpr size_t kMaxPatchValues = 100000;

// Fails at the offending value (a repeated key, a non-string key, a number
// no JSON decoder takes, more than kMaxPatchValues values).
nlohmann::json YamlToJson(const YamlValue& value);

}  // namespace ipsecsim::harness
