#include "durations.h"

#include <cctype>
#include <limits>
#include <sstream>

namespace ipsecsim::harness {
namespace {

double UnitSeconds(const std::string& unit) {
  if (unit == "ns") return 1e-9;
  if (unit == "us") return 1e-6;
  if (unit == "ms") return 1e-3;
  if (unit == "m") return 60;
  if (unit == "h") return 3600;
  if (unit == "d") return 86400;
  // 365 days, as openssl -days and the operator's signer count a year
  // (cluster-network-operator pkg/controller/signer/signer.go oneYear).
  if (unit == "y") return 365 * 86400.0;
  return 1;  // "s"
}

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::optional<DecimalAndUnit> SplitDecimal(const std::string& text, bool signAllowed,
                                           bool bareFractionAllowed) {
  // A scan rather than std::regex: libstdc++'s regex recurses once per
  // character and overflows the stack on long values.
  size_t at = 0;
  if (signAllowed && at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
  const size_t integerStart = at;
  while (at < text.size() && IsDigit(text[at])) ++at;
  const size_t integerDigits = at - integerStart;
  size_t fractionDigits = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    const size_t fractionStart = at;
    while (at < text.size() && IsDigit(text[at])) ++at;
    fractionDigits = at - fractionStart;
    // "1." is a duration, not a rate; ".5" is neither when bare fractions are off.
    if (!bareFractionAllowed && (integerDigits == 0 || fractionDigits == 0)) return std::nullopt;
  }
  if (integerDigits == 0 && fractionDigits == 0) return std::nullopt;
  // istringstream with the classic locale: independent of the user's locale.
  std::istringstream number(text.substr(0, at));
  number.imbue(std::locale::classic());
  DecimalAndUnit result;
  number >> result.value;
  if (number.fail()) return std::nullopt;
  result.unit = text.substr(at);
  return result;
}

std::optional<double> ParseDurationSeconds(const std::string& text) {
  if (text == "0") return 0.0;
  const std::optional<DecimalAndUnit> parsed = SplitDecimal(text, true, true);
  if (!parsed) return std::nullopt;
  for (const char* unit : {"ns", "us", "ms", "s", "m", "h", "d", "y"}) {
    if (parsed->unit != unit) continue;
    const double seconds = parsed->value * UnitSeconds(parsed->unit);
    // A positive number too small for a double (0.000...1 with a thousand
    // zeros) reads as 0: it is still a duration above 0 and below 1ns, to be
    // refused as one, not taken for 0 (back to back, or off).
    const std::string number = text.substr(0, text.size() - parsed->unit.size());
    if (seconds == 0 && number.find_first_of("123456789") != std::string::npos)
      return (text[0] == '-' ? -1 : 1) * std::numeric_limits<double>::denorm_min();
    return seconds;
  }
  return std::nullopt;
}

}  // namespace ipsecsim::harness
