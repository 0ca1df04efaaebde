#include "terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace ipsecsim::cli {

namespace {
constexpr size_t kDefaultColumns = 100;
constexpr size_t kMaxColumns = 10000;  // a COLUMNS beyond this is a mistake
}  // namespace

bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) == 1; }
bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

size_t TerminalColumns() {
  if (const char* env = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long columns = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && columns > 0) return std::min<size_t>(columns, kMaxColumns);
  }
  winsize size{};
  if (StdoutIsTerminal() && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return kDefaultColumns;
}

}  // namespace ipsecsim::cli
