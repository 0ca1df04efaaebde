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

namespace {

// A word of the user's longer than anyone reads (a conn name or a value of a
// megabyte, which Libreswan's files allow) is shown by its start and its
// length, so that a finding stays a line: ipsecsim's own rule.
std::string ShortWords(const std::string& text) {
  constexpr size_t kLongest = 256, kShown = 128;
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find_first_of(" \t\n", at), text.size());
    if (end - at > kLongest) {
      out += text.substr(at, kShown) + "... (" + std::to_string(end - at) + " bytes)";
    } else {
      out += text.substr(at, end - at);
    }
    if (end < text.size()) out += text[end];
    at = end + 1;
  }
  return out;
}

}  // namespace

std::string Finding::Format() const {
  std::string where = ShortWords(file);
  if (line > 0) where += ":" + std::to_string(line);
  if (offset) where += ": byte " + std::to_string(*offset);
  return where + ": " + LevelName(level) + ": " + ShortWords(message) + " [" + topic + "]";
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
