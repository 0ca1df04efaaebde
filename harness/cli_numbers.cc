#include "cli_numbers.h"

#include <cctype>

namespace ipsecsim::cli {

uint64_t ParseUnsigned(const std::string& option, const std::string& text, uint64_t max) {
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const std::string digits = hex ? text.substr(2) : text;
  const int base = hex ? 16 : 10;
  auto fail = [&](const std::string& why) { throw UsageError{option + ": '" + text + "' " + why}; };
  if (digits.empty()) fail("is not a number (decimal, or hexadecimal with 0x)");
  uint64_t value = 0;
  for (char c : digits) {
    int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
            : (hex && std::isxdigit(static_cast<unsigned char>(c)))
                ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                : -1;
    if (d < 0) fail("is not a number (decimal, or hexadecimal with 0x)");
    if (value > (UINT64_MAX - uint64_t(d)) / uint64_t(base)) fail("does not fit in 64 bits");
    value = value * base + d;
  }
  if (value > max) fail("is larger than the maximum " + std::to_string(max));
  return value;
}

Bytes ParseHexOption(const std::string& option, const std::string& text, size_t exactLen) {
  auto bytes = ParseHex(text);
  if (!bytes) {
    throw UsageError{option +
                     ": expected hex bytes (an even number of digits 0-9a-f, 0x "
                     "optional), got '" +
                     text + "'"};
  }
  if (exactLen && bytes->size() != exactLen) {
    throw UsageError{option + ": expected exactly " + std::to_string(exactLen) + " bytes (" +
                     std::to_string(exactLen * 2) + " hex digits), got " +
                     std::to_string(bytes->size())};
  }
  return *bytes;
}

}  // namespace ipsecsim::cli
