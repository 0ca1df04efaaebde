// What an ipsec.conf tree says, as read: every section of every file, in the
// order Libreswan parses them (includes expanded in place, globs sorted).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace ipsecsim::libreswan {

struct SourceLocation {
  std::string file;
  int line = 0;
  std::string Describe() const { return file + ":" + std::to_string(line); }
};

struct Setting {
  std::string key;    // as written, e.g. "rightsubnet"
  std::string value;  // quotes removed
  SourceLocation where;
};

struct Section {
  enum class Kind { kConfigSetup, kConn };
  Kind kind = Kind::kConn;
  std::string name;  // conn name, "%default", or "setup"
  SourceLocation where;
  std::vector<Setting> settings;
};

// Something Libreswan reports while reading, short of refusing the tree.
struct ConfNotice {
  enum class Level { kWarning, kError };  // kError: one conn is not loaded
  Level level = Level::kWarning;
  SourceLocation where;
  std::string message;  // Libreswan's wording
};

struct ConfTree {
  std::vector<Section> sections;
  std::vector<std::string> files;  // every file read, in parse order
  std::vector<ConfNotice> notices;
};

// Libreswan refuses the whole tree ("cannot load config"): pluto does not start.
class ConfError : public std::runtime_error {
 public:
  ConfError(SourceLocation where, const std::string& message)
      : std::runtime_error(where.Describe() + ": " + message), where_(std::move(where)) {}
  const SourceLocation& Where() const { return where_; }

 private:
  SourceLocation where_;
};

}  // namespace ipsecsim::libreswan
