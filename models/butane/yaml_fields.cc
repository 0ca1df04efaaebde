#include "yaml_fields.h"

#include <cerrno>
#include <cstdlib>
#include <map>

namespace ipsecsim::butane {

namespace {

void RefuseDuplicateKeys(const YAML::Node& node, const std::string& file, int depth) {
  if (depth > 64) throw ConfigError({file, node.Mark().line + 1, 0}, "YAML nested too deeply");
  if (node.IsMap()) {
    std::map<std::string, int> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      const int line = it->first.Mark().line + 1;
      auto [where, fresh] = seen.emplace(key, line);
      if (!fresh)
        throw ConfigError(
            {file, line, it->first.Mark().column + 1},
            "mapping key \"" + key + "\" already defined at line " + std::to_string(where->second));
      RefuseDuplicateKeys(it->second, file, depth + 1);
    }
  } else if (node.IsSequence()) {
    for (const YAML::Node& child : node) RefuseDuplicateKeys(child, file, depth + 1);
  }
}

const char* TypeName(const YAML::Node& n) {
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a list";
  if (n.IsNull()) return "null";
  return "a scalar";
}

}  // namespace

YAML::Node LoadYaml(const std::string& text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError({file, e.mark.line + 1, e.mark.column + 1}, "YAML: " + e.msg);
  }
  RefuseDuplicateKeys(root, file, 0);
  return root;
}

Origin YamlFields::At(const YAML::Node& node) const {
  return {file_, node.Mark().line + 1, node.Mark().column + 1};
}

void YamlFields::Error(const YAML::Node& at, const std::string& path, const std::string& message) {
  notices_->push_back({ConfigNotice::Level::kError, At(at), "error at " + path + ": " + message});
}

void YamlFields::Warn(const YAML::Node& at, const std::string& path, const std::string& message) {
  notices_->push_back(
      {ConfigNotice::Level::kWarning, At(at), "warning at " + path + ": " + message});
}

bool YamlFields::HasErrors() const {
  for (const ConfigNotice& n : *notices_)
    if (n.level == ConfigNotice::Level::kError) return true;
  return false;
}

void YamlFields::CheckKeys(const YAML::Node& map, const std::string& path,
                           const std::set<std::string>& known,
                           const std::vector<std::pair<std::string, std::string>>& forbidden) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string key = it->first.Scalar();
    bool refused = false;
    for (const auto& [name, message] : forbidden) {
      if (name != key) continue;
      Error(it->first, path + "." + key, message);
      refused = true;
    }
    if (!refused && !known.count(key)) Warn(it->first, path + "." + key, "Unused key " + key);
  }
}

YAML::Node YamlFields::Child(const YAML::Node& parent, const std::string& key,
                             const std::string& path, YAML::NodeType::value type) {
  const YAML::Node n = parent[key];
  if (!n || n.IsNull()) return YAML::Node();
  if (n.Type() != type) {
    Error(n, path,
          std::string("expected ") + (type == YAML::NodeType::Map ? "a mapping" : "a list") +
              ", found " + TypeName(n));
    return YAML::Node();
  }
  return n;
}

YAML::Node YamlFields::Map(const YAML::Node& parent, const std::string& key,
                           const std::string& path) {
  return Child(parent, key, path, YAML::NodeType::Map);
}

YAML::Node YamlFields::Sequence(const YAML::Node& parent, const std::string& key,
                                const std::string& path) {
  return Child(parent, key, path, YAML::NodeType::Sequence);
}

std::optional<std::string> YamlFields::String(const YAML::Node& parent, const std::string& key,
                                              const std::string& path) {
  const YAML::Node n = parent[key];
  if (!n || n.IsNull()) return std::nullopt;
  if (!n.IsScalar()) {
    Error(n, path, std::string("expected a string, found ") + TypeName(n));
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<bool> YamlFields::Bool(const YAML::Node& parent, const std::string& key,
                                     const std::string& path) {
  const std::optional<std::string> s = String(parent, key, path);
  if (!s) return std::nullopt;
  if (*s == "true" || *s == "True" || *s == "TRUE") return true;
  if (*s == "false" || *s == "False" || *s == "FALSE") return false;
  Error(parent[key], path, "cannot unmarshal !!str `" + *s + "` into bool");
  return std::nullopt;
}

std::optional<long long> YamlFields::Integer(const YAML::Node& parent, const std::string& key,
                                             const std::string& path, bool* octal) {
  const std::optional<std::string> s = String(parent, key, path);
  if (!s) return std::nullopt;
  std::string digits = *s;
  int base = 10;
  if (digits.rfind("0o", 0) == 0) {
    digits = digits.substr(2);
    base = 8;
  } else if (digits.rfind("0x", 0) == 0) {
    digits = digits.substr(2);
    base = 16;
  } else if (digits.size() > 1 && digits[0] == '0') {
    base = 8;
  }
  errno = 0;
  char* end = nullptr;
  const long long v = digits.empty() ? 0 : std::strtoll(digits.c_str(), &end, base);
  if (digits.empty() || *end != '\0' || errno == ERANGE || v < 0) {
    Error(parent[key], path, "cannot unmarshal !!str `" + *s + "` into int");
    return std::nullopt;
  }
  if (octal) *octal = base == 8;
  return v;
}

std::vector<std::string> YamlFields::Strings(const YAML::Node& parent, const std::string& key,
                                             const std::string& path) {
  std::vector<std::string> out;
  const YAML::Node seq = Sequence(parent, key, path);
  for (size_t i = 0; seq && i < seq.size(); ++i) {
    if (!seq[i].IsScalar()) {
      Error(seq[i], path + "." + std::to_string(i), "expected a string");
      continue;
    }
    out.push_back(seq[i].Scalar());
  }
  return out;
}

}  // namespace ipsecsim::butane
