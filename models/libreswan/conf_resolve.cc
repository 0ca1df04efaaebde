#include "conf_resolve.h"

#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace ipsecsim::libreswan {

std::string CanonicalKey(const std::string& key) {
  if (key == "lifetime" || key == "keylife") return "salifetime";
  return key;
}

const ResolvedSetting* ResolvedConn::Find(const std::string& key) const {
  auto it = values.find(CanonicalKey(key));
  return it == values.end() ? nullptr : &it->second;
}

std::string ResolvedConn::Get(const std::string& key, const std::string& fallback) const {
  const ResolvedSetting* s = Find(key);
  return s ? s->setting.value : fallback;
}

namespace {

// Libreswan v4.6 include/ipsecconf/confread.h: #define ALSO_LIMIT 32. load_conn
// (lib/libipsecconf/confread.c) collects the also= names breadth first, a
// conn's own then those of each conn it adds in, and refuses the conn once the
// list holds that many, repeats and missing names included.
constexpr size_t kAlsoLimit = 32;

// Each conn by name, the first of a name: Libreswan's also= finds the first.
using ConnIndex = std::unordered_map<std::string, const Section*>;

ConnIndex IndexConns(const ConfTree& tree) {
  ConnIndex index;
  for (const Section& s : tree.sections)
    if (s.kind == Section::Kind::kConn) index.emplace(s.name, &s);
  return index;
}

// also= takes a list of names (confread.c: tokens_from_string). Names past
// the limit are not kept: the conn is refused once the list reaches it.
void AppendNames(const std::string& value, std::vector<std::string>& names) {
  std::istringstream words(value);
  for (std::string name; names.size() < kAlsoLimit && words >> name;) names.push_back(name);
}

ResolvedConn ResolveConn(const ConnIndex& conns, const Section& section,
                         const std::map<std::string, Setting>& defaults,
                         std::vector<ConfNotice>& notices) {
  ResolvedConn conn{section.name, section.where, {}, true};
  auto fail = [&](const SourceLocation& where, const std::string& message) {
    if (conn.loaded) notices.push_back({ConfNotice::Level::kError, where, message});
    conn.loaded = false;
  };
  std::vector<std::string> alsos;
  // Where each entry of alsos was named, for the messages.
  std::vector<const Section*> namedBy;
  auto take = [&](const Section& from, ResolvedSetting::Origin origin) {
    for (const Setting& s : from.settings) {
      if (s.key == "also") {
        AppendNames(s.value, alsos);
        namedBy.resize(alsos.size(), &from);
        continue;
      }
      const std::string key = CanonicalKey(s.key);
      if (conn.values.count(key)) {
        fail(s.where, "duplicate key '" + s.key + "' in conn " + section.name +
                          " while processing def " + from.name);
        continue;
      }
      conn.values[key] = {s, origin};
    }
  };
  std::unordered_set<const Section*> visited{&section};  // an also= loop adds nothing twice
  take(section, ResolvedSetting::Origin::kOwn);
  for (size_t i = 0; i < alsos.size(); ++i) {
    if (alsos.size() >= kAlsoLimit) {
      // Libreswan's text names alsos[alsosize], the list's NULL end, so it
      // prints "(null)"; this names the section whose also= reached the limit.
      const Section& last = *namedBy.back();
      fail(last.where, "while loading conn '" + section.name +
                           "', too many also= used at section " + last.name + ". Limit is " +
                           std::to_string(kAlsoLimit));
      break;
    }
    const auto target = conns.find(alsos[i]);
    if (target == conns.end()) {
      fail(namedBy[i]->where,
           "cannot find conn '" + alsos[i] + "' needed by conn '" + section.name + "'");
      continue;
    }
    if (!visited.insert(target->second).second) continue;
    take(*target->second, ResolvedSetting::Origin::kAlso);
  }
  for (const auto& [key, s] : defaults)
    if (!conn.values.count(key)) conn.values[key] = {s, ResolvedSetting::Origin::kDefault};
  return conn;
}

}  // namespace

ResolvedConfig Resolve(const ConfTree& tree) {
  ResolvedConfig out;
  out.notices = tree.notices;
  for (const Section& s : tree.sections) {
    if (s.kind == Section::Kind::kConfigSetup) {
      for (const Setting& v : s.settings) out.setup[v.key] = v;
    } else if (s.name == "%default") {
      for (const Setting& v : s.settings)
        if (v.key != "also") out.defaults[CanonicalKey(v.key)] = v;
    }
  }
  const ConnIndex conns = IndexConns(tree);
  for (const Section& s : tree.sections)
    if (s.kind == Section::Kind::kConn && s.name != "%default")
      out.conns.push_back(ResolveConn(conns, s, out.defaults, out.notices));
  return out;
}

}  // namespace ipsecsim::libreswan
