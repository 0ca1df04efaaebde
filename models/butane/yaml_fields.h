// Field-by-field reading of a YAML document with the positions and the
// strictness butane has: duplicate keys refused (go-yaml v3: `mapping key
// "x" already defined at line N`), keys the schema does not know reported
// as Ignition's "Unused key" warning, keys the spec forbids as errors, and
// every value checked for its type. Paths are written as butane writes
// them: $.storage.files.0.mode.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "machine_config.h"

namespace ipsecsim::butane {

class YamlFields {
 public:
  YamlFields(std::string file, std::vector<ConfigNotice>* notices)
      : file_(std::move(file)), notices_(notices) {}

  Origin At(const YAML::Node& node) const;
  // Reports every key of `map` not in `known` (warning) or in `forbidden`
  // (error, with its message) and refuses duplicates. `map` must be a map.
  void CheckKeys(const YAML::Node& map, const std::string& path, const std::set<std::string>& known,
                 const std::vector<std::pair<std::string, std::string>>& forbidden = {});
  void Error(const YAML::Node& at, const std::string& path, const std::string& message);
  void Warn(const YAML::Node& at, const std::string& path, const std::string& message);

  YAML::Node Map(const YAML::Node& parent, const std::string& key, const std::string& path);
  YAML::Node Sequence(const YAML::Node& parent, const std::string& key, const std::string& path);
  std::optional<std::string> String(const YAML::Node& parent, const std::string& key,
                                    const std::string& path);
  std::optional<bool> Bool(const YAML::Node& parent, const std::string& key,
                           const std::string& path);
  // An integer as go-yaml reads it: 0400 and 0o400 octal, 0x100 hex. `octal`
  // says whether it was written in octal.
  std::optional<long long> Integer(const YAML::Node& parent, const std::string& key,
                                   const std::string& path, bool* octal = nullptr);
  std::vector<std::string> Strings(const YAML::Node& parent, const std::string& key,
                                   const std::string& path);

  bool HasErrors() const;

 private:
  YAML::Node Child(const YAML::Node& parent, const std::string& key, const std::string& path,
                   YAML::NodeType::value type);

  std::string file_;
  std::vector<ConfigNotice>* notices_;
};

// Loads YAML text; throws ConfigError with the line of a syntax error or a
// duplicate key anywhere in the document.
YAML::Node LoadYaml(const std::string& text, const std::string& file);

}  // namespace ipsecsim::butane
