// Which ipsecsim wrote a report: its version and how it was built.
#pragma once

#include <string>

namespace ipsecsim::harness {

struct BuildInfo {
  const char* version;    // the project version, e.g. "0.1.0"
  const char* git;        // `git describe --always --dirty --tags` at configure time
  const char* compiler;   // e.g. "GNU 12.2.0"
  const char* buildType;  // e.g. "RelWithDebInfo"
};

const BuildInfo& Build();

// "0.1.0 (git a2ed182, GNU 12.2.0, RelWithDebInfo)"
inline std::string BuildSummary() {
  const BuildInfo& b = Build();
  return std::string(b.version) + " (git " + b.git + ", " + b.compiler + ", " + b.buildType + ")";
}

}  // namespace ipsecsim::harness
