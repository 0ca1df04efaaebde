#include "yaml_json.h"

#include <regex>

namespace ipsecsim::harness {

namespace {

// A number as Go's encoding/json decodes it into the API object: a float64,
// so anything beyond its range is an error (as 1e999 is in a JSON patch).
double Float(const YamlValue& value, const std::string& text) {
  try {
    return std::stod(text);
  } catch (const std::out_of_range&) {
    value.Fail("error decoding patch: the number " + text +
               " is out of the range of a 64-bit float");
  }
}

nlohmann::json Scalar(const YamlValue& value) {
  const YAML::Node& node = value.Node();
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
      return Float(value, text);
    }
  }
  if (std::regex_match(text, kFloat)) return Float(value, text);
  return text;
}

nlohmann::json Convert(const YamlValue& value, size_t& values) {
  if (++values > kMaxPatchValues) {
    value.Fail("expected a patch of at most " + std::to_string(kMaxPatchValues) +
               " values once its YAML aliases are expanded");
  }
  const YAML::Node& node = value.Node();
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return Scalar(value);
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      size_t i = 0;
      for (const YAML::Node& item : node) {
        array.push_back(Convert(YamlValue(item, value.Path() + "[" + std::to_string(i++) + "]",
                                          value.File(), value.Line()),
                                values));
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
        object[name] = Convert(member, values);
      }
      return object;
    }
    default:
      return nullptr;
  }
}

}  // namespace

nlohmann::json YamlToJson(const YamlValue& value) {
  size_t values = 0;
  return Convert(value, values);
}

}  // namespace ipsecsim::harness
