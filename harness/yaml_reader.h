// Typed, strict access to a parsed YAML document. Every value remembers the
// dotted path that reached it (e.g. "flows[2].protocol") and its line, so
// that any conversion failure becomes a ScenarioError a user can act on.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ipsecsim::harness {

class YamlMap;

// Limits on the shape of a scenario file (docs/scenario-reference.md, Limits).
inline constexpr size_t kMaxScalarLength = 1024;
inline constexpr size_t kMaxYamlNesting = 64;

class YamlValue {
 public:
  // fallbackLine is used when yaml-cpp has no mark for the node (implicit nulls).
  YamlValue(YAML::Node node, std::string path, std::string file, int fallbackLine);

  const std::string& Path() const { return path_; }
  const std::string& File() const { return file_; }
  const YAML::Node& Node() const { return node_; }
  int Line() const;  // 1-based
  bool IsNull() const { return node_.IsNull(); }

  [[noreturn]] void Fail(const std::string& message) const;

  // `expected` names what the scenario wants here, e.g. "a pod name".
  // Longer scalars are refused: no value of a scenario needs more.
  std::string AsString(const std::string& expected, size_t maxLength = kMaxScalarLength) const;
  // A decimal integer in [min, max]; `what` names it, e.g. "a port".
  long long AsInteger(long long min, long long max, const std::string& what) const;
  bool AsBool() const;
  // Seconds, not negative, at most maxSeconds.
  double AsDuration(double maxSeconds) const;
  // A decimal probability in [0, maxExclusive), e.g. 0.01.
  double AsProbability(double maxExclusive) const;
  // One of `allowed`, spelled exactly.
  std::string AsChoice(const std::vector<std::string>& allowed) const;
  // A sequence; an empty value (`pods:`) counts as an empty list.
  std::vector<YamlValue> AsList(const std::string& expected) const;
  // A mapping whose keys are all in allowedKeys, none repeated.
  YamlMap AsMap(const std::vector<std::string>& allowedKeys, const std::string& expected) const;

 private:
  std::string Describe() const;  // "a list", "a map", "nothing" or the quoted scalar

  YAML::Node node_;
  std::string path_;
  std::string file_;
  int fallbackLine_;
};

class YamlMap {
 public:
  const std::string& Path() const { return path_; }
  int Line() const { return line_; }
  bool Has(const std::string& key) const;
  std::optional<YamlValue> Find(const std::string& key) const;
  // Fails with "missing required key" at the map's line when absent.
  YamlValue Require(const std::string& key) const;

  [[noreturn]] void FailAt(const std::string& key, const std::string& message) const;

 private:
  friend class YamlValue;
  struct Entry {
    std::string key;
    YAML::Node value;
    int keyLine;
  };

  std::vector<Entry> entries_;
  std::string path_;
  std::string file_;
  int line_ = 0;
};

// What a first pass over a YAML stream's events found.
struct YamlStreamShape {
  int documents = 0;           // counted up to 3
  int secondDocumentLine = 0;  // 1-based, when documents > 1
};

// Walks the stream's events without building nodes, to refuse what yaml-cpp
// 0.7 mishandles before it builds anything:
//  - an alias to a collection that contains it (`&a [*a]`): yaml-cpp builds a
//    reference cycle that is never freed;
//  - a stray ',' outside any flow collection: yaml-cpp returns empty
//    documents for it forever, so YAML::LoadAll never ends;
//  - lists and maps nested deeper than kMaxYamlNesting: yaml-cpp builds and
//    frees them recursively.
// A '[' or '{' never closed is reported at its own line.
// Throws ScenarioError for those, YAML::ParserException for malformed YAML.
YamlStreamShape ScanYamlStream(const std::string& text, const std::string& file);

// "flows[2]" + "protocol" -> "flows[2].protocol"; "" + "name" -> "name".
std::string JoinPath(const std::string& parent, const std::string& key);
// {"a", "b", "c"} -> "a, b, c".
std::string JoinWords(const std::vector<std::string>& words);
// The candidate a typo most likely meant, or "" when none is close.
std::string ClosestMatch(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace ipsecsim::harness
