// Writing report files: parents created, contents replaced atomically.
#pragma once

#include <string>

namespace ipsecsim::harness {

// Writes `contents` to `path` through a temporary file and a rename, so a
// reader never sees half a report. Creates missing parent directories.
// Throws std::runtime_error naming the path when anything fails.
void WriteReportFile(const std::string& path, const std::string& contents);

}  // namespace ipsecsim::harness
