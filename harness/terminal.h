// The terminal the command line prints to: is stdout one, and how wide.
#pragma once

#include <cstddef>
#include <string>

namespace ipsecsim::cli {

bool StdoutIsTerminal();
bool StderrIsTerminal();
// COLUMNS when it is a positive number, else the terminal's width
// (TIOCGWINSZ on stdout), else 100 (not a terminal: a log, a pipe).
size_t TerminalColumns();

}  // namespace ipsecsim::cli
