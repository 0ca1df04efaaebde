// Parsing of numeric and hex command-line values with precise messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bytes.h"

namespace ipsecsim::cli {

// An error the user caused: printed as "ipsecsim: <message>", exit code 2.
struct UsageError {
  std::string message;
};

// Decimal, or hexadecimal with a 0x prefix. Throws UsageError naming the option.
uint64_t ParseUnsigned(const std::string& option, const std::string& text, uint64_t max);
// Hex bytes (case-insensitive, 0x optional). exactLen 0 accepts any length.
Bytes ParseHexOption(const std::string& option, const std::string& text, size_t exactLen = 0);

}  // namespace ipsecsim::cli
