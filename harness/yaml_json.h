// A YAML value as the JSON document it stands for, the way oc reads a patch
// given as YAML: plain scalars are typed by YAML 1.2's core schema (true,
// null, 12, 1.5), quoted ones stay strings.
#pragma once

#include <nlohmann/json.hpp>

#include "yaml_reader.h"

namespace ipsecsim::harness {

// Fails at the offending value (a repeated key, a non-string key).
nlohmann::json YamlToJson(const YamlValue& value);

}  // namespace ipsecsim::harness
