#include "report_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace ipsecsim::harness {

namespace {

[[noreturn]] void Fail(const std::string& what, const std::string& path, int error) {
  throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(error));
}

}  // namespace

void WriteReportFile(const std::string& path, const std::string& contents) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::error_code error;
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), error);
    if (error) {
      throw std::runtime_error("cannot create directory " + target.parent_path().string() + ": " +
                               error.message());
    }
  }
  // A name of this process's own, so that two writers never share one.
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) Fail("write", temporary, errno);
  for (size_t written = 0; written < contents.size();) {
    const ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      close(fd);
      unlink(temporary.c_str());
      Fail("write", temporary, saved);
    }
    written += size_t(n);
  }
  if (close(fd) != 0) {
    const int saved = errno;
    unlink(temporary.c_str());
    Fail("write", temporary, saved);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;  // before unlink can change it
    unlink(temporary.c_str());
    Fail("write", path, saved);
  }
}

}  // namespace ipsecsim::harness
