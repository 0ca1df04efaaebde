#include "shell_words.h"

#include <cctype>

namespace ipsecsim::harness {

namespace {

// Characters a shell treats as operators when they are not quoted.
bool IsOperator(char c) {
  return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')';
}

// Inside double quotes a backslash escapes only these (POSIX 2.2.3).
bool EscapableInDoubleQuotes(char c) {
  return c == '$' || c == '`' || c == '"' || c == '\\' || c == '\n';
}

// `$` starts an expansion before a name, a digit, a special parameter, `{`
// or `(`; elsewhere it is a literal character.
bool StartsExpansion(const std::string& line, size_t i) {
  if (line[i] == '`') return true;
  if (i + 1 == line.size()) return false;
  const char next = line[i + 1];
  return std::isalnum(static_cast<unsigned char>(next)) || next == '_' || next == '{' ||
         next == '(' || std::string("@*#?$!-").find(next) != std::string::npos;
}

std::string Expansion(char c) {
  return std::string("the shell would expand '") + c +
         "' here; paste the command with the literal value instead";
}

}  // namespace

ShellWords SplitShellWords(const std::string& line) {
  ShellWords out;
  std::string word;
  bool inWord = false;
  auto endWord = [&] {
    if (inWord) out.words.push_back(word);
    word.clear();
    inWord = false;
  };
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      endWord();
    } else if (c == '\\') {
      if (i + 1 == line.size()) {
        out.error = "a backslash ends the command, with nothing after it to escape";
        return out;
      }
      if (line[i + 1] != '\n') {  // backslash-newline joins lines
        word += line[i + 1];
        inWord = true;
      }
      ++i;
    } else if (c == '\'') {
      const size_t close = line.find('\'', i + 1);
      if (close == std::string::npos) {
        out.error =
            "a single quote opened at character " + std::to_string(i + 1) + " is never closed";
        return out;
      }
      word += line.substr(i + 1, close - i - 1);
      inWord = true;
      i = close;
    } else if (c == '"') {
      size_t j = i + 1;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if ((line[j] == '$' || line[j] == '`') && StartsExpansion(line, j)) {
          out.error = Expansion(line[j]);
          return out;
        }
        if (line[j] == '\\' && j + 1 < line.size() && EscapableInDoubleQuotes(line[j + 1])) {
          if (line[j + 1] != '\n') word += line[j + 1];
          ++j;
        } else {
          word += line[j];
        }
      }
      if (j == line.size()) {
        out.error =
            "a double quote opened at character " + std::to_string(i + 1) + " is never closed";
        return out;
      }
      inWord = true;
      i = j;
    } else if ((c == '$' || c == '`') && StartsExpansion(line, i)) {
      out.error = Expansion(c);
      return out;
    } else if (IsOperator(c)) {
      out.error =
          std::string("'") + c + "' is a shell operator; give one command, with its arguments only";
      return out;
    } else if (c == '#' && !inWord) {
      i = line.find('\n', i);  // a comment runs to the end of the line
      if (i == std::string::npos) break;
      endWord();
    } else if (c == '*' || c == '?' || c == '[' || c == '{' || (c == '~' && !inWord)) {
      out.error = std::string("the shell would expand the unquoted '") + c +
                  "' (a file pattern or brace expansion); quote the word, as in -p '{...}'";
      return out;
    } else {
      word += c;
      inWord = true;
    }
  }
  endWord();
  return out;
}

}  // namespace ipsecsim::harness
