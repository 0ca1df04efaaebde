// Splits a command line into words as a POSIX shell does before it runs a
// simple command (quote removal, backslashes, line continuations), so that a
// command pasted from the documentation reads as the shell would pass it. A
// command needing more than splitting (expansions, file patterns, pipes,
// redirections) is refused, never approximated.
#pragma once

#include <string>
#include <vector>

namespace ipsecsim::harness {

struct ShellWords {
  std::vector<std::string> words;
  std::string error;  // empty when the line split; else what the shell would do
};

ShellWords SplitShellWords(const std::string& line);

}  // namespace ipsecsim::harness
