// One finding of `ipsecsim check`: where (file and line, or byte offset in
// a binary file), how serious, and what it means for the rollout.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ipsecsim::check {

enum class Level {
  kNote,       // information the engineer needs (ports, what was read)
  kWarning,    // a risk, or something ipsecsim reads but does not model
  kError,      // the rollout will not do what the files intend
  kMalformed,  // the file cannot be read as what it is: exit 2
};

struct Finding {
  Level level = Level::kNote;
  std::string file;
  int line = 0;                  // 1-based; 0: the whole file
  std::optional<size_t> offset;  // byte offset in a binary file
  std::string topic;             // short tag: "syntax", "nickname", "interference", ...
  std::string message;
  std::string Format() const;  // "FILE:LINE: error: MESSAGE [topic]"
};

const char* LevelName(Level level);

struct Findings {
  std::vector<Finding> items;
  void Add(Level level, std::string file, int line, std::string topic, std::string message);
  void AddAt(Level level, std::string file, size_t offset, std::string topic, std::string message);
  // 0: no error; 1: an error finding; 2: a malformed input.
  int ExitCode() const;
};

}  // namespace ipsecsim::check
