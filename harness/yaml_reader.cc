#include "yaml_reader.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <set>
#include <sstream>

#include "durations.h"
#include "scenario.h"
#include "scenario_limits.h"

namespace ipsecsim::harness {
namespace {

int LineOf(const YAML::Node& node, int fallback) {
  YAML::Mark mark = node.Mark();
  return mark.is_null() ? fallback : mark.line + 1;
}

std::string Lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string match = ClosestMatch(word, candidates);
  return match.empty() ? "" : " (did you mean '" + match + "'?)";
}

struct OpenCollection {
  YAML::anchor_t anchor;  // YAML::NullAnchor for collections without one
  YAML::Mark mark;
  char bracket;  // '[' or '{' for flow style, 0 for block style
};

// Tracks the anchors of the collections being read (an alias to one of them
// is self-referential) and where each document starts.
class StreamScanner : public YAML::EventHandler {
 public:
  explicit StreamScanner(std::string file) : file_(std::move(file)) {}

  const std::vector<YAML::Mark>& DocumentStarts() const { return documentStarts_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    for (const YAML::Mark& earlier : documentStarts_) {
      if (earlier.pos == mark.pos) {
        throw ScenarioError(file_, mark.line + 1, "(document)",
                            "invalid YAML: unexpected ',' outside a [list] or {map}");
      }
    }
    documentStarts_.push_back(mark);
    open_.clear();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor != YAML::NullAnchor &&
        std::find_if(open_.begin(), open_.end(),
                     [&](const OpenCollection& c) { return c.anchor == anchor; }) != open_.end()) {
      throw ScenarioError(file_, mark.line + 1, "(document)",
                          "expected aliases to refer to finished values, but this one refers to "
                          "a list or map that contains it");
    }
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    Open(mark, anchor, style == YAML::EmitterStyle::Flow ? '[' : 0);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    Open(mark, anchor, style == YAML::EmitterStyle::Flow ? '{' : 0);
  }
  void OnMapEnd() override { Close(); }

  // The innermost '[' or '{' still open, for "never closed" messages.
  const OpenCollection* InnermostFlow() const {
    for (auto it = open_.rbegin(); it != open_.rend(); ++it)
      if (it->bracket) return &*it;
    return nullptr;
  }

 private:
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor, char bracket) {
    // yaml-cpp builds and destroys documents recursively; a scenario is a
    // few levels deep, so refuse deep nesting before anything recurses.
    if (open_.size() >= kMaxYamlNesting) {
      throw ScenarioError(file_, mark.line + 1, "(document)",
                          "expected lists and maps nested at most " +
                              std::to_string(kMaxYamlNesting) + " levels deep");
    }
    open_.push_back({anchor, mark, bracket});
  }
  void Close() {
    if (!open_.empty()) open_.pop_back();
  }

  std::string file_;
  std::vector<OpenCollection> open_;
  std::vector<YAML::Mark> documentStarts_;
};

}  // namespace

YamlStreamShape ScanYamlStream(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  StreamScanner scanner(file);
  try {
    while (scanner.DocumentStarts().size() < 3 && parser.HandleNextDocument(scanner)) {
    }
  } catch (const YAML::ParserException& e) {
    // yaml-cpp notices a missing ']' or '}' where the text ends or the next
    // key starts; the user needs the line of the bracket left open.
    const OpenCollection* open = scanner.InnermostFlow();
    const bool unclosed =
        e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW || e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW;
    if (unclosed && open) {
      throw ScenarioError(file, open->mark.line + 1, "(document)",
                          std::string("invalid YAML: this '") + open->bracket +
                              "' is never closed (yaml-cpp: " + e.msg + " at line " +
                              std::to_string(e.mark.line + 1) + ")");
    }
    throw;
  }
  YamlStreamShape shape;
  shape.documents = static_cast<int>(scanner.DocumentStarts().size());
  if (shape.documents > 1) shape.secondDocumentLine = scanner.DocumentStarts()[1].line + 1;
  return shape;
}

std::string JoinPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& w : words) joined += (joined.empty() ? "" : ", ") + w;
  return joined;
}

std::string ClosestMatch(const std::string& word, const std::vector<std::string>& candidates) {
  // Long inputs cannot be near any schema word; skip the quadratic distance.
  if (word.size() > 64) return "";
  std::string best;
  size_t bestDistance = 3;  // more than two edits away is not a typo
  for (const std::string& candidate : candidates) {
    size_t d = EditDistance(Lowercase(word), Lowercase(candidate));
    if (d < bestDistance && d < std::max<size_t>(candidate.size(), 2)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

YamlValue::YamlValue(YAML::Node node, std::string path, std::string file, int fallbackLine)
    : node_(std::move(node)),
      path_(std::move(path)),
      file_(std::move(file)),
      fallbackLine_(fallbackLine) {}

// yaml-cpp marks an empty value (`ipsec:` at the end of a line) where the next
// token starts, often a line later; the key's own line is what the user wrote.
int YamlValue::Line() const {
  return node_.IsNull() ? fallbackLine_ : LineOf(node_, fallbackLine_);
}

void YamlValue::Fail(const std::string& message) const {
  throw ScenarioError(file_, Line(), path_.empty() ? "(document)" : path_, message);
}

std::string YamlValue::Describe() const {
  switch (node_.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar: {
      const std::string& text = node_.Scalar();
      return "'" + (text.size() > 40 ? text.substr(0, 40) + "..." : text) + "'";
    }
    default:
      return "nothing";
  }
}

std::string YamlValue::AsString(const std::string& expected, size_t maxLength) const {
  if (!node_.IsScalar()) Fail("expected " + expected + ", got " + Describe());
  if (node_.Scalar().size() > maxLength) {
    Fail("expected " + expected + " of at most " + std::to_string(maxLength) + " characters, got " +
         std::to_string(node_.Scalar().size()));
  }
  return node_.Scalar();
}

long long YamlValue::AsInteger(long long min, long long max, const std::string& what) const {
  std::string range = "from " + std::to_string(min) + " to " + std::to_string(max);
  std::string text = AsString(what + " (an integer " + range + ")");
  long long value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [stop, error] = std::from_chars(begin, end, value);
  if (error == std::errc::result_out_of_range ||
      (error == std::errc() && stop == end && (value < min || value > max))) {
    Fail("expected " + what + " " + range + ", got " + text);
  }
  if (error != std::errc() || stop != end || begin == end) {
    Fail("expected " + what + " (an integer " + range + "), got " + Describe());
  }
  return value;
}

bool YamlValue::AsBool() const {
  std::string text = AsString("true or false");
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  Fail("expected true or false, got " + Describe());
}

double YamlValue::AsDuration(double maxSeconds) const {
  std::string text = AsString(kDurationExamples);
  std::optional<double> seconds = ParseDurationSeconds(text);
  if (!seconds) Fail(std::string("expected ") + kDurationExamples + ", got " + Describe());
  if (*seconds < 0) Fail("expected a duration that is not negative, got " + text);
  if (*seconds > 0 && *seconds < 1e-9)
    Fail("expected a duration of 0 or at least 1ns (the simulator counts whole nanoseconds), got " +
         text);
  if (*seconds > maxSeconds) {
    Fail("expected a duration of at most " + std::to_string(static_cast<long long>(maxSeconds)) +
         "s, got " + text +
         (maxSeconds == kMaxSeconds
              ? ": the simulation costs real time for every simulated second (IKE liveness, "
                "probes, samples)"
              : ""));
  }
  return *seconds;
}

namespace {
std::string FormatNumber(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}
}  // namespace

double YamlValue::AsProbability(double maxExclusive) const {
  const std::string expected =
      "a probability from 0 up to (not including) " + FormatNumber(maxExclusive) + ", e.g. 0.01";
  const std::string text = AsString(expected);
  // Plain decimals only: strtod would also take hex floats, "inf" and spaces.
  const std::optional<DecimalAndUnit> p = SplitDecimal(text, false, true);
  if (!p || !p->unit.empty() || !(p->value >= 0 && p->value < maxExclusive)) {
    Fail("expected " + expected + ", got " + Describe());
  }
  return p->value;
}

std::string YamlValue::AsChoice(const std::vector<std::string>& allowed) const {
  std::string expected = "one of " + JoinWords(allowed);
  std::string text = AsString(expected);
  if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
    Fail("expected " + expected + ", got " + Describe() + DidYouMean(text, allowed));
  }
  return text;
}

std::vector<YamlValue> YamlValue::AsList(const std::string& expected) const {
  std::vector<YamlValue> items;
  if (node_.IsNull()) return items;
  if (!node_.IsSequence()) Fail("expected " + expected + ", got " + Describe());
  int index = 0;
  for (const YAML::Node& item : node_) {
    items.emplace_back(item, path_ + "[" + std::to_string(index++) + "]", file_, Line());
  }
  return items;
}

YamlMap YamlValue::AsMap(const std::vector<std::string>& allowedKeys,
                         const std::string& expected) const {
  if (!node_.IsMap()) Fail("expected " + expected + ", got " + Describe());
  YamlMap map;
  map.path_ = path_;
  map.file_ = file_;
  map.line_ = Line();
  std::set<std::string> seen;
  for (const auto& entry : node_) {
    int keyLine = LineOf(entry.first, map.line_);
    if (!entry.first.IsScalar()) {
      throw ScenarioError(file_, keyLine, path_.empty() ? "(document)" : path_,
                          "keys must be plain words; allowed keys: " + JoinWords(allowedKeys));
    }
    const std::string& key = entry.first.Scalar();
    // An empty key ("" : 1) still needs a visible name in the error.
    std::string keyPath = JoinPath(path_, key.empty() ? "\"\"" : key);
    if (std::find(allowedKeys.begin(), allowedKeys.end(), key) == allowedKeys.end()) {
      throw ScenarioError(file_, keyLine, keyPath,
                          "unknown key '" + key + "'" + DidYouMean(key, allowedKeys) +
                              "; allowed keys: " + JoinWords(allowedKeys));
    }
    if (!seen.insert(key).second) {
      throw ScenarioError(file_, keyLine, keyPath, "key '" + key + "' is given twice");
    }
    map.entries_.push_back({key, entry.second, keyLine});
  }
  return map;
}

bool YamlMap::Has(const std::string& key) const { return Find(key).has_value(); }

std::optional<YamlValue> YamlMap::Find(const std::string& key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) return YamlValue(e.value, JoinPath(path_, key), file_, e.keyLine);
  }
  return std::nullopt;
}

YamlValue YamlMap::Require(const std::string& key) const {
  std::optional<YamlValue> value = Find(key);
  if (!value) FailAt(key, "missing required key '" + key + "'");
  return *value;
}

void YamlMap::FailAt(const std::string& key, const std::string& message) const {
  throw ScenarioError(file_, line_, JoinPath(path_, key), message);
}

}  // namespace ipsecsim::harness
