#include "conf_parser.h"

#include <glob.h>

#include <sstream>

#include "conf_keywords.h"
#include "user_file.h"

namespace ipsecsim::libreswan {

namespace {

struct Token {
  enum class Kind { kWord, kQuoted, kEqual };
  Kind kind;
  std::string text;
};

// Splits one line into tokens. A `#` that begins a token starts a comment;
// inside a word it is part of the word, as in Libreswan's lexer.
std::vector<Token> Tokenize(std::string_view line, const SourceLocation& where) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '#') {
      break;
    } else if (c == '=') {
      tokens.push_back({Token::Kind::kEqual, "="});
      ++i;
    } else if (c == '"' || c == '{') {
      const char close = c == '"' ? '"' : '}';
      const size_t end = line.find(close, i + 1);
      if (end == std::string_view::npos)
        throw ConfError(where, std::string("syntax error [") + c + "] (no closing " + close + ")");
      tokens.push_back({Token::Kind::kQuoted, std::string(line.substr(i + 1, end - i - 1))});
      i = end + 1;
    } else {
      size_t end = i;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r' &&
             line[end] != '=' && line[end] != '"')
        ++end;
      tokens.push_back({Token::Kind::kWord, std::string(line.substr(i, end - i))});
      i = end;
    }
  }
  return tokens;
}

[[noreturn]] void SyntaxError(const SourceLocation& where, const std::string& near) {
  throw ConfError(where, "syntax error [" + near + "]");
}

class Reader {
 public:
  explicit Reader(const ReadLimits& limits) : limits_(limits) {}

  void ReadFile(const std::string& path, const SourceLocation* includedFrom, int depth) {
    std::string text;
    const UserFile status = ReadUserFile(path, limits_.maxFileBytes, text);
    if (status == UserFile::kNotRegular) {
      // ipsecsim's own refusal: Libreswan would wait for a FIFO's writer.
      throw ConfError(includedFrom ? *includedFrom : SourceLocation{path, 0},
                      (includedFrom ? "include filename '" + path + "' " : std::string()) +
                          "is not a regular file; expected an ipsec.conf file");
    }
    if (status == UserFile::kMissing || status == UserFile::kUnreadable) {
      if (!includedFrom) throw ConfError({path, 0}, "could not open the file");
      tree_.notices.push_back({ConfNotice::Level::kWarning, *includedFrom,
                               "could not open include filename: '" + path + "'"});
      return;
    }
    if (status == UserFile::kTooLarge)
      throw ConfError({path, 0}, "file larger than " + std::to_string(limits_.maxFileBytes) +
                                     " bytes; expected an ipsec.conf file");
    ReadText(text, path, depth);
  }

  void ReadText(std::string_view text, const std::string& file, int depth) {
    if (text.find('\0') != std::string_view::npos)
      throw ConfError({file, 1 + LinesBefore(text, text.find('\0'))},
                      "binary data (a NUL byte); expected an ipsec.conf text file");
    tree_.files.push_back(file);
    Section* current = nullptr;
    int lineNo = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      ++lineNo;
      const SourceLocation where{file, lineNo};
      const std::vector<Token> tokens = Tokenize(line, where);
      if (tokens.empty()) continue;
      const bool indented = line[0] == ' ' || line[0] == '\t';
      if (indented) {
        if (!current) SyntaxError(where, tokens[0].text);
        ReadSetting(tokens, where, *current);
        continue;
      }
      current = nullptr;
      const std::string& head = tokens[0].text;
      if (tokens[0].kind != Token::Kind::kWord) SyntaxError(where, head);
      if (head == "config") {
        if (tokens.size() < 2 || tokens[1].text != "setup")
          SyntaxError(where, tokens.size() < 2 ? "end of line" : tokens[1].text);
        if (tokens.size() > 2) SyntaxError(where, tokens[2].text);
        current = &Push(Section::Kind::kConfigSetup, "setup", where);
      } else if (head == "conn") {
        if (tokens.size() < 2 || tokens[1].kind == Token::Kind::kEqual)
          SyntaxError(where, tokens.size() < 2 ? "end of line" : "=");
        if (tokens.size() > 2) SyntaxError(where, tokens[2].text);
        current = &Push(Section::Kind::kConn, tokens[1].text, where);
      } else if (head == "include") {
        if (tokens.size() != 2 || tokens[1].kind == Token::Kind::kEqual)
          SyntaxError(where, tokens.size() < 2 ? "end of line" : tokens.back().text);
        Include(tokens[1].text, where, depth);
      } else if (head == "version") {
        if (tokens.size() != 2)
          SyntaxError(where, tokens.size() < 2 ? "end of line" : tokens[2].text);
      } else {
        SyntaxError(where, head);
      }
      // Sections live in a vector that Include() may grow: re-find the last.
      if (current) current = &tree_.sections.back();
    }
  }

  ConfTree Take() { return std::move(tree_); }

 private:
  static int LinesBefore(std::string_view text, size_t offset) {
    int n = 0;
    for (size_t i = 0; i < offset; ++i) n += text[i] == '\n';
    return n;
  }

  Section& Push(Section::Kind kind, std::string name, const SourceLocation& where) {
    tree_.sections.push_back({kind, std::move(name), where, {}});
    return tree_.sections.back();
  }

  void ReadSetting(const std::vector<Token>& tokens, const SourceLocation& where,
                   Section& section) {
    const Token& key = tokens[0];
    if (key.kind != Token::Kind::kWord) SyntaxError(where, key.text);
    const Keyword* keyword = FindKeyword(key.text);
    if (!keyword) SyntaxError(where, key.text);
    if (tokens.size() < 2 || tokens[1].kind != Token::Kind::kEqual)
      SyntaxError(where, tokens.size() < 2 ? "end of line" : tokens[1].text);
    if (tokens.size() > 3) SyntaxError(where, tokens[3].text);
    std::string value = tokens.size() == 3 ? tokens[2].text : "";
    if (tokens.size() == 3 && tokens[2].kind == Token::Kind::kEqual) SyntaxError(where, "=");
    const bool inSetup = section.kind == Section::Kind::kConfigSetup;
    if (inSetup && keyword->section == KeywordSection::kConn)
      throw ConfError(where, "unexpected keyword '" + key.text + "' in section 'config setup'");
    if (!inSetup && keyword->section == KeywordSection::kConfigSetup)
      tree_.notices.push_back(
          {ConfNotice::Level::kError, where,
           "keyword '" + key.text + "' is not valid in a conn (" + section.name + ")"});
    if (keyword->kind == ValueKind::kBool && !IsValidBool(value)) SyntaxError(where, value);
    if (keyword->kind == ValueKind::kEnum) {
      bool known = false;
      for (std::string_view v : keyword->values) known = known || v == value;
      if (!known) throw ConfError(where, "keyword " + key.text + ", invalid value: " + value);
    }
    section.settings.push_back({key.text, std::move(value), where});
  }

  void Include(const std::string& pattern, const SourceLocation& where, int depth) {
    if (depth + 1 > limits_.maxIncludeDepth)
      throw ConfError(where, "including '" + pattern + "' exceeds max inclusion depth of " +
                                 std::to_string(limits_.maxIncludeDepth));
    glob_t matches{};
    const int rc = glob(pattern.c_str(), GLOB_ERR, nullptr, &matches);  // sorted
    if (rc != 0) {
      globfree(&matches);
      tree_.notices.push_back({ConfNotice::Level::kWarning, where,
                               "could not open include filename: '" + pattern + "'"});
      return;
    }
    std::vector<std::string> files(matches.gl_pathv, matches.gl_pathv + matches.gl_pathc);
    globfree(&matches);
    for (const std::string& f : files) ReadFile(f, &where, depth + 1);
  }

  ReadLimits limits_;
  ConfTree tree_;
};

}  // namespace

ConfTree ReadConfFile(const std::string& path, const ReadLimits& limits) {
  Reader reader(limits);
  reader.ReadFile(path, nullptr, 0);
  return reader.Take();
}

ConfTree ReadConfText(std::string_view text, const std::string& file, const ReadLimits& limits) {
  Reader reader(limits);
  reader.ReadText(text, file, 0);
  return reader.Take();
}

}  // namespace ipsecsim::libreswan
