// UTC dates as scenario files and reports write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ipsecsim::sim {

// "2030-08-01" (midnight UTC) or "2030-08-01T12:00:00Z", as UNIX seconds;
// nullopt for anything else, or a day or time that does not exist.
std::optional<int64_t> ParseUtcDate(const std::string& text);
// "2030-08-01T12:00:00Z".
std::string FormatUtcDate(int64_t unixSeconds);

}  // namespace ipsecsim::sim
