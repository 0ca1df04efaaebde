// Reading a file the user names. Anything but a regular file is refused
// before a byte is read: opening a FIFO that has no writer blocks forever,
// and a device such as /dev/zero never ends. The file is opened with
// O_NONBLOCK, so that the open itself cannot block, and judged by fstat on
// what was opened, so a file swapped after a check is judged too.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace ipsecsim {

enum class UserFile { kRead, kMissing, kNotRegular, kTooLarge, kUnreadable };

// Reads the whole file into text; kTooLarge once it holds more than
// maxBytes, with text holding at least maxBytes + 1 of them.
inline UserFile ReadUserFile(const std::string& path, size_t maxBytes, std::string& text) {
  text.clear();
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT || errno == ENOTDIR ? UserFile::kMissing : UserFile::kUnreadable;
  UserFile result = UserFile::kRead;
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    result = UserFile::kUnreadable;
  } else if (!S_ISREG(st.st_mode)) {
    result = UserFile::kNotRegular;
  } else {
    char buffer[1 << 16];
    for (;;) {
      const ssize_t n = read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        result = UserFile::kUnreadable;
        break;
      }
      if (n == 0) break;
      text.append(buffer, static_cast<size_t>(n));
      if (text.size() > maxBytes) {
        result = UserFile::kTooLarge;
        break;
      }
    }
  }
  close(fd);
  return result;
}

// In the scenario loader's words (harness/scenario_loader.cc LoadScenarioFile).
inline const char* UserFileProblem(UserFile status) {
  switch (status) {
    case UserFile::kMissing:
      return "does not exist";
    case UserFile::kNotRegular:
      return "is not a regular file";
    case UserFile::kUnreadable:
      return "could not be read";
    case UserFile::kTooLarge:
      return "is too large";
    case UserFile::kRead:
      break;
  }
  return "";
}

}  // namespace ipsecsim
