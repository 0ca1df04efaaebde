#include "yaml_fields.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <unordered_set>

namespace ipsecsim::butane {

namespace {

// butane decodes with gopkg.in/yaml.v3 v3.0.1 (butane's go.mod), whose
// decoder (decode.go: unmarshal, allowedAliasRatio) counts every node it
// decodes and those reached through an alias, and fails a document with over
// 1000 decodes and 100 alias decodes once the alias share passes 99% (up to
// 400,000 decodes), falling to 10% at 4,000,000. The same count here bounds
// the walk of a document whose aliases expand to billions of nodes.
class AliasBudget {
 public:
  // Whether the node was decoded before: yaml-cpp hands an alias back as the
  // anchored node itself, known here by where it starts.
  bool EnterIsAlias(const YAML::Node& node) {
    if (node.IsNull() || node.Mark().pos < 0) return false;
    return !seen_.insert(node.Mark().pos).second;
  }
  void Count(const YAML::Node& node, bool inAlias, const std::string& file) {
    ++decodes_;
    if (inAlias) ++aliasDecodes_;
    if (aliasDecodes_ > 100 && decodes_ > 1000 &&
        static_cast<double>(aliasDecodes_) / static_cast<double>(decodes_) > AllowedRatio())
      throw ConfigError({file, node.Mark().line + 1, node.Mark().column + 1},
                        "yaml: document contains excessive aliasing (butane's YAML decoder "
                        "refuses a document that is mostly alias expansion)");
  }

 private:
  double AllowedRatio() const {
    constexpr double kLow = 400000, kHigh = 4000000;
    if (decodes_ <= kLow) return 0.99;
    if (decodes_ >= kHigh) return 0.10;
    return 0.99 - 0.89 * ((static_cast<double>(decodes_) - kLow) / (kHigh - kLow));
  }
  std::unordered_set<int> seen_;
  uint64_t decodes_ = 0, aliasDecodes_ = 0;
};

void RefuseDuplicateKeys(const YAML::Node& node, const std::string& file, int depth, bool inAlias,
                         AliasBudget& budget) {
  if (depth > 64) throw ConfigError({file, node.Mark().line + 1, 0}, "YAML nested too deeply");
  inAlias = inAlias || budget.EnterIsAlias(node);
  budget.Count(node, inAlias, file);
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
      RefuseDuplicateKeys(it->second, file, depth + 1, inAlias, budget);
    }
  } else if (node.IsSequence()) {
    for (const YAML::Node& child : node)
      RefuseDuplicateKeys(child, file, depth + 1, inAlias, budget);
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
  AliasBudget budget;
  RefuseDuplicateKeys(root, file, 0, false, budget);
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
