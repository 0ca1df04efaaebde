#include "finding.h"

#include <algorithm>

namespace ipsecsim::check {

const char* LevelName(Level level) {
  switch (level) {
    case Level::kNote:
      return "note";
    case Level::kWarning:
      return "warning";
    case Level::kError:
      return "error";
    case Level::kMalformed:
      return "malformed";
  }
  return "";
}

std::string Finding::Format() const {
  std::string where = file;
  if (line > 0) where += ":" + std::to_string(line);
  if (offset) where += ": byte " + std::to_string(*offset);
  return where + ": " + LevelName(level) + ": " + message + " [" + topic + "]";
}

void Findings::Add(Level level, std::string file, int line, std::string topic,
                   std::string message) {
  items.push_back(
      {level, std::move(file), line, std::nullopt, std::move(topic), std::move(message)});
}

void Findings::AddAt(Level level, std::string file, size_t offset, std::string topic,
                     std::string message) {
  items.push_back({level, std::move(file), 0, offset, std::move(topic), std::move(message)});
}

int Findings::ExitCode() const {
  int code = 0;
  for (const Finding& f : items) {
    if (f.level == Level::kMalformed) code = 2;
    if (f.level == Level::kError) code = std::max(code, 1);
  }
  return code;
}

}  // namespace ipsecsim::check
