#include "report_files.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace ipsecsim::harness {

void WriteReportFile(const std::string& path, const std::string& contents) {
  namespace fs = std::filesystem;
  fs::path target(path);
  std::error_code error;
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), error);
    if (error) {
      throw std::runtime_error("cannot create directory " + target.parent_path().string() + ": " +
                               error.message());
    }
  }
  fs::path temporary = target;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  fs::rename(temporary, target, error);
  if (error) {
    fs::remove(temporary, error);
    throw std::runtime_error("cannot write " + path + ": " + error.message());
  }
}

}  // namespace ipsecsim::harness
