#include "yaml_json.h"

#include <regex>

namespace ipsecsim::harness {

namespace {

nlohmann::json Scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted
  static const std::regex kNull("null|Null|NULL|~|");
  static const std::regex kTrue("true|True|TRUE");
  static const std::regex kFalse("false|False|FALSE");
  static const std::regex kInteger("[-+]?[0-9]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (std::regex_match(text, kNull)) return nullptr;
  if (std::regex_match(text, kTrue)) return true;
  if (std::regex_match(text, kFalse)) return false;
  if (std::regex_match(text, kInteger)) {
    try {
      return std::stoll(text);
    } catch (const std::out_of_range&) {
      return std::stod(text);
    }
  }
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return text;
}

}  // namespace

nlohmann::json YamlToJson(const YamlValue& value) {
  const YAML::Node& node = value.Node();
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return Scalar(node);
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      size_t i = 0;
      for (const YAML::Node& item : node) {
        array.push_back(YamlToJson(YamlValue(item, value.Path() + "[" + std::to_string(i++) + "]",
                                             value.File(), value.Line())));
      }
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& entry : node) {
        const YamlValue key(entry.first, value.Path(), value.File(), value.Line());
        if (!entry.first.IsScalar())
          key.Fail("expected a string key in a patch, got a list or map");
        const std::string name = entry.first.Scalar();
        const YamlValue member(entry.second, JoinPath(value.Path(), name), value.File(),
                               key.Line());
        if (object.contains(name)) member.Fail("expected each key once in a patch");
        object[name] = YamlToJson(member);
      }
      return object;
    }
    default:
      return nullptr;
  }
}

}  // namespace ipsecsim::harness
