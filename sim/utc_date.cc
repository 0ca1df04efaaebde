#include "utc_date.h"

#include <ctime>
#include <regex>

namespace ipsecsim::sim {

std::optional<int64_t> ParseUtcDate(const std::string& text) {
  static const std::regex kDate(
      "([0-9]{4})-([0-9]{2})-([0-9]{2})(T([0-9]{2}):([0-9]{2}):([0-9]{2})Z)?");
  std::smatch m;
  if (!std::regex_match(text, m, kDate)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  if (m[4].matched) {
    tm.tm_hour = std::stoi(m[5]);
    tm.tm_min = std::stoi(m[6]);
    tm.tm_sec = std::stoi(m[7]);
  }
  const std::tm asked = tm;
  const int64_t seconds = int64_t(timegm(&tm));
  // timegm normalises 2030-02-30 to March 2nd: such a date does not exist.
  if (tm.tm_year != asked.tm_year || tm.tm_mon != asked.tm_mon || tm.tm_mday != asked.tm_mday ||
      tm.tm_hour != asked.tm_hour || tm.tm_min != asked.tm_min || tm.tm_sec != asked.tm_sec)
    return std::nullopt;
  return seconds;
}

std::string FormatUtcDate(int64_t unixSeconds) {
  const std::time_t t = std::time_t(unixSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace ipsecsim::sim
