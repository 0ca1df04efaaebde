// Where and why an IKE message failed to parse.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

namespace ipsecsim::ike {

struct ParseError {
  size_t offset = 0;     // byte offset from the start of the IKE message
  std::string expected;  // what the parser was reading, e.g. "Nonce data"
  std::string detail;    // what was wrong with it
  std::string ToString() const;
};

// A value or the error that prevented it.
template <typename T>
class ParseResult {
 public:
  ParseResult(T value) : value_(std::move(value)) {}
  ParseResult(ParseError error) : error_(std::move(error)) {}
  bool Ok() const { return value_.has_value(); }
  const T& Value() const { return *value_; }
  T& Value() { return *value_; }
  const ParseError& Error() const { return error_; }

 private:
  std::optional<T> value_;
  ParseError error_;
};

}  // namespace ipsecsim::ike
