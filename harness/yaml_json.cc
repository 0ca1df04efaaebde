#include "yaml_json.h"

#include <string>

namespace ipsecsim::harness {

namespace {

// A number as Go's encoding/json decodes it into the API object: a float64,
// so anything beyond its range is an error (as 1e999 is in a JSON patch).
double Float(const YamlValue& value, const std::string& text) {
  try {
    return std::stod(text);
  } catch (const std::out_of_range&) {
    // A number of thousands of digits is named by its first ones, so that the
    // message still says what is wrong with it.
    const std::string shown = text.size() <= 40 ? text
                                                : text.substr(0, 20) + "... (" +
                                                      std::to_string(text.size()) + " characters)";
    value.Fail("error decoding patch: the number " + shown +
               " is out of the range of a 64-bit float");
  }
}

// Advances past a run of decimal digits; whether there was one.
bool Digits(const std::string& text, size_t& i) {
  const size_t start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return i > start;
}

size_t Sign(const std::string& text) {
  return !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
}

// [-+]?[0-9]+
bool IsInteger(const std::string& text) {
  size_t i = Sign(text);
  return Digits(text, i) && i == text.size();
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool IsFloat(const std::string& text) {
  size_t i = Sign(text);
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!Digits(text, i)) return false;
  } else {
    if (!Digits(text, i)) return false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      Digits(text, i);
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (!Digits(text, i)) return false;
  }
  return i == text.size();
}

// The YAML 1.2 core schema's plain scalars, scanned by hand: a patch file's
// scalars are bounded only by its 64 KiB, and std::regex_match recurses once
// per character (a 65,000-digit number overflowed the stack).
nlohmann::json Scalar(const YamlValue& value) {
  const YAML::Node& node = value.Node();
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted
  if (text.empty() || text == "null" || text == "Null" || text == "NULL" || text == "~")
    return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (IsInteger(text)) {
    try {
      return std::stoll(text);
    } catch (const std::out_of_range&) {
      return Float(value, text);
    }
  }
  if (IsFloat(text)) return Float(value, text);
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
