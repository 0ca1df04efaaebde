#include "conf_resolve.h"

#include <functional>
#include <set>

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

// The first conn of that name: Libreswan's also= finds the first.
const Section* FindConn(const ConfTree& tree, const std::string& name) {
  for (const Section& s : tree.sections)
    if (s.kind == Section::Kind::kConn && s.name == name) return &s;
  return nullptr;
}

ResolvedConn ResolveConn(const ConfTree& tree, const Section& section,
                         const std::map<std::string, Setting>& defaults,
                         std::vector<ConfNotice>& notices) {
  ResolvedConn conn{section.name, section.where, {}, true};
  auto fail = [&](const SourceLocation& where, const std::string& message) {
    if (conn.loaded) notices.push_back({ConfNotice::Level::kError, where, message});
    conn.loaded = false;
  };
  std::set<const Section*> visited;
  std::function<void(const Section&, ResolvedSetting::Origin)> take =
      [&](const Section& from, ResolvedSetting::Origin origin) {
        if (!visited.insert(&from).second) return;  // an also= loop adds nothing twice
        std::vector<std::string> alsos;
        for (const Setting& s : from.settings) {
          if (s.key == "also") {
            alsos.push_back(s.value);
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
        for (const std::string& name : alsos) {
          const Section* target = FindConn(tree, name);
          if (!target) {
            fail(from.where,
                 "cannot find conn '" + name + "' needed by conn '" + section.name + "'");
            continue;
          }
          take(*target, ResolvedSetting::Origin::kAlso);
        }
      };
  take(section, ResolvedSetting::Origin::kOwn);
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
  for (const Section& s : tree.sections)
    if (s.kind == Section::Kind::kConn && s.name != "%default")
      out.conns.push_back(ResolveConn(tree, s, out.defaults, out.notices));
  return out;
}

}  // namespace ipsecsim::libreswan
