#include "durations.h"

#include <regex>
#include <sstream>

namespace ipsecsim::harness {
namespace {

double UnitSeconds(const std::string& unit) {
  if (unit == "ns") return 1e-9;
  if (unit == "us") return 1e-6;
  if (unit == "ms") return 1e-3;
  if (unit == "m") return 60;
  if (unit == "h") return 3600;
  return 1;  // "s"
}

}  // namespace

std::optional<double> ParseDurationSeconds(const std::string& text) {
  if (text == "0") return 0.0;
  static const std::regex kDuration(R"(^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(ns|us|ms|s|m|h)$)");
  std::smatch match;
  if (!std::regex_match(text, match, kDuration)) return std::nullopt;
  // istringstream with the classic locale: independent of the user's locale.
  std::istringstream number(match[1].str());
  number.imbue(std::locale::classic());
  double value = 0;
  number >> value;
  if (number.fail()) return std::nullopt;
  return value * UnitSeconds(match[2].str());
}

}  // namespace ipsecsim::harness
