// X.509 times: UNIX seconds <-> UTCTime / GeneralizedTime (RFC 5280 §4.1.2.5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ipsecsim::pki {

constexpr int64_t kDay = 86400;
// ipsecsim counts a "year" of certificate life as 365 days, like `-days 365`.
constexpr int64_t kYear = 365 * kDay;

// RFC 5280: dates before 2050 are encoded as UTCTime, later ones as
// GeneralizedTime.
bool NeedsGeneralizedTime(int64_t unixSeconds);
// "YYMMDDHHMMSSZ" or "YYYYMMDDHHMMSSZ" depending on NeedsGeneralizedTime.
std::string FormatX509Time(int64_t unixSeconds);
std::optional<int64_t> ParseUtcTime(std::string_view text);          // YYMMDDHHMMSSZ
std::optional<int64_t> ParseGeneralizedTime(std::string_view text);  // YYYYMMDDHHMMSSZ
// "2026-01-01T00:00:00Z", for messages and events.
std::string FormatIso8601(int64_t unixSeconds);

}  // namespace ipsecsim::pki
