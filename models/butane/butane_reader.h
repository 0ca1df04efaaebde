// Butane configs of variant openshift, version 4.14.0 (coreos/butane v0.20.0,
// docs/config-openshift-v4_14.md, config/openshift/v4_14/translate.go,
// base/v0_5/translate.go), translated to the MachineConfig butane emits:
// Ignition 3.4.0 in spec.config, file contents as data URLs, extensions in
// spec.extensions. Errors are butane's; "Unused key" is butane's warning.
#pragma once

#include <optional>
#include <string>

#include "machine_config.h"

namespace ipsecsim::butane {

struct ButaneOptions {
  // butane -d DIR: where contents.local and contents_local are read from.
  // Empty: not given, and every local path is an error, as in butane.
  std::string filesDir;
  size_t maxLocalFileBytes = 4 << 20;
};

// Throws ConfigError for a YAML syntax error or a duplicate key; every other
// problem is a notice (kError: butane refuses the config).
ReadResult ReadButane(const std::string& text, const std::string& file,
                      const ButaneOptions& options);

}  // namespace ipsecsim::butane
