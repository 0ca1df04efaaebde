// A MachineConfig as the MCO receives it (machineconfiguration.openshift.io/v1),
// reduced to what the external-endpoint procedure uses: files with their
// decoded contents and modes, systemd units, extensions. Every element keeps
// the file and line it was read from.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bytes.h"

namespace ipsecsim::butane {

struct Origin {
  std::string file;
  int line = 0;  // 1-based
  int column = 0;
  std::string Describe() const {
    return file + ":" + std::to_string(line) + (column ? ":" + std::to_string(column) : "");
  }
};

struct ConfigFile {
  std::string path;
  Bytes contents;           // decoded
  std::string source;       // the data URL, as written or as butane would write it
  std::string compression;  // "" or "gzip"
  std::optional<int> mode;  // permission bits; nullopt: 0644 (Ignition's default)
  bool overwrite = false;
  std::string local;  // butane contents.local, when given
  Origin where;
};

struct SystemdUnit {
  std::string name;
  std::optional<bool> enabled;
  std::optional<bool> mask;
  std::optional<std::string> contents;
  Origin where;
};

struct MachineConfig {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string Role() const;     // labels["machineconfiguration.openshift.io/role"]
  std::string ignitionVersion;  // "3.4.0"
  std::vector<std::string> extensions;
  std::vector<std::string> kernelArguments;
  std::optional<bool> fips;
  std::string kernelType;
  std::vector<ConfigFile> files;
  std::vector<SystemdUnit> units;
  Origin where;
  const ConfigFile* FindFile(const std::string& path) const;
  const SystemdUnit* FindUnit(const std::string& name) const;
};

// Something the reader says about the input short of refusing it.
struct ConfigNotice {
  enum class Level { kWarning, kError };
  Level level = Level::kWarning;
  Origin where;
  std::string message;
};

// The input cannot become a MachineConfig: butane (or the MCO) refuses it.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(Origin where, const std::string& message)
      : std::runtime_error(where.Describe() + ": " + message), where_(std::move(where)) {}
  const Origin& Where() const { return where_; }

 private:
  Origin where_;
};

struct ReadResult {
  MachineConfig config;
  std::vector<ConfigNotice> notices;
};

}  // namespace ipsecsim::butane
