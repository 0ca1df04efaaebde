// Turns a parsed tree into what pluto loads, as Libreswan's confread.c does:
// every `conn %default` of the whole tree is read first, whatever its
// position, and a later %default value replaces an earlier one; each conn
// takes its own keys, then those of its also= conns (depth first, in
// order), then the %default values it still lacks. A key set twice on that
// way is an error that keeps the conn out ("duplicate key"). All `config
// setup` sections merge, the last value winning.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conf_tree.h"

namespace ipsecsim::libreswan {

struct ResolvedSetting {
  Setting setting;
  enum class Origin { kOwn, kAlso, kDefault } origin = Origin::kOwn;
};

struct ResolvedConn {
  std::string name;
  SourceLocation where;
  std::map<std::string, ResolvedSetting> values;  // by canonical key (salifetime for lifetime)
  bool loaded = true;  // false when Libreswan reports an error for this conn
  // The value of `key`, or `fallback` when neither the conn nor a %default sets it.
  std::string Get(const std::string& key, const std::string& fallback = "") const;
  const ResolvedSetting* Find(const std::string& key) const;
};

struct ResolvedConfig {
  std::map<std::string, Setting> setup;
  std::map<std::string, Setting> defaults;  // the merged %default
  std::vector<ResolvedConn> conns;          // every conn except %default, in parse order
  std::vector<ConfNotice> notices;          // the tree's, then the resolver's
};

// The key one value is stored under: salifetime for its aliases lifetime
// and keylife; the key itself otherwise.
std::string CanonicalKey(const std::string& key);

ResolvedConfig Resolve(const ConfTree& tree);

}  // namespace ipsecsim::libreswan
