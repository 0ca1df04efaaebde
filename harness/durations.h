// Durations as scenario files write them: "10s", "250ms", "1.5s", "100us", "2m".
#pragma once

#include <optional>
#include <string>

namespace ipsecsim::harness {

// What a duration looks like, for error messages.
inline constexpr const char* kDurationExamples = "a duration like 10s, 250ms, 1.5s, 100us or 2m";

// A decimal number at the start of `text` and what follows it: digits with an
// optional '.' and fraction, after an optional sign when signAllowed; "1." and
// ".5" only when bareFractionAllowed. nullopt when no number starts the text.
struct DecimalAndUnit {
  double value = 0;
  std::string unit;
};
std::optional<DecimalAndUnit> SplitDecimal(const std::string& text, bool signAllowed,
                                           bool bareFractionAllowed);

// Seconds for a number followed by one of ns, us, ms, s, m, h, d (a day),
// y (365 days) (a bare "0" is
// also accepted). A leading '-' is parsed so that callers can say "negative"
// rather than "malformed". nullopt when the text is not a duration.
std::optional<double> ParseDurationSeconds(const std::string& text);

}  // namespace ipsecsim::harness
