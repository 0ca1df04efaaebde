#include "x509_time.h"

#include <cstdio>

namespace ipsecsim::pki {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second;
};

Civil CivilFromUnix(int64_t t) {
  int64_t days = t >= 0 ? t / kDay : -((-t + kDay - 1) / kDay);
  int64_t secs = t - days * kDay;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  Civil c;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2);
  c.hour = unsigned(secs / 3600);
  c.minute = unsigned(secs / 60 % 60);
  c.second = unsigned(secs % 60);
  return c;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::optional<unsigned> Digits(std::string_view text, size_t pos, size_t count) {
  unsigned v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + unsigned(text[i] - '0');
  }
  return v;
}

// Parses "MMDDHHMMSSZ" after a year already decoded.
std::optional<int64_t> ParseAfterYear(int64_t year, std::string_view rest) {
  if (rest.size() != 11 || rest[10] != 'Z') return std::nullopt;
  auto month = Digits(rest, 0, 2), day = Digits(rest, 2, 2), hour = Digits(rest, 4, 2),
       minute = Digits(rest, 6, 2), second = Digits(rest, 8, 2);
  if (!month || !day || !hour || !minute || !second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > DaysInMonth(year, *month) || *hour > 23 ||
      *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  return DaysFromCivil(year, *month, *day) * kDay + *hour * 3600 + *minute * 60 + *second;
}

}  // namespace

bool NeedsGeneralizedTime(int64_t unixSeconds) {
  const int64_t year = CivilFromUnix(unixSeconds).year;
  return year < 1950 || year >= 2050;
}

std::string FormatX509Time(int64_t unixSeconds) {
  const Civil c = CivilFromUnix(unixSeconds);
  char buf[32];
  if (NeedsGeneralizedTime(unixSeconds)) {
    std::snprintf(buf, sizeof(buf), "%04lld%02u%02u%02u%02u%02uZ", static_cast<long long>(c.year),
                  c.month, c.day, c.hour, c.minute, c.second);
  } else {
    std::snprintf(buf, sizeof(buf), "%02u%02u%02u%02u%02u%02uZ", unsigned(c.year % 100), c.month,
                  c.day, c.hour, c.minute, c.second);
  }
  return buf;
}

std::optional<int64_t> ParseUtcTime(std::string_view text) {
  if (text.size() != 13) return std::nullopt;
  auto yy = Digits(text, 0, 2);
  if (!yy) return std::nullopt;
  return ParseAfterYear(*yy >= 50 ? 1900 + *yy : 2000 + *yy, text.substr(2));
}

std::optional<int64_t> ParseGeneralizedTime(std::string_view text) {
  if (text.size() != 15) return std::nullopt;
  auto yyyy = Digits(text, 0, 4);
  if (!yyyy) return std::nullopt;
  return ParseAfterYear(*yyyy, text.substr(4));
}

std::string FormatIso8601(int64_t unixSeconds) {
  const Civil c = CivilFromUnix(unixSeconds);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02u:%02u:%02uZ",
                static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

}  // namespace ipsecsim::pki
