#include "scenario_units.h"

#include <regex>
#include <sstream>

namespace ipsecsim::harness {
namespace {

double UnitBitsPerSecond(const std::string& unit) {
  switch (unit[0]) {
    case 'k':
    case 'K':
      return 1e3;
    case 'M':
      return 1e6;
    case 'G':
      return 1e9;
    default:
      return 1;
  }
}

}  // namespace

std::optional<double> ParseDataRateBitsPerSecond(const std::string& text) {
  static const std::regex kRate(R"(^([0-9]+(?:\.[0-9]+)?)((?:|k|K|M|G)(?:bps|b/s))$)");
  std::smatch match;
  if (!std::regex_match(text, match, kRate)) return std::nullopt;
  std::istringstream number(match[1].str());
  number.imbue(std::locale::classic());
  double value = 0;
  number >> value;
  if (number.fail()) return std::nullopt;
  return value * UnitBitsPerSecond(match[2].str());
}

bool IsDnsLabel(const std::string& name) {
  static const std::regex kLabel("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
  return name.size() <= 63 && std::regex_match(name, kLabel);
}

bool IsFileSafeName(const std::string& name) {
  static const std::regex kSafe("^[A-Za-z0-9_][A-Za-z0-9._-]*$");
  return name.size() <= 100 && std::regex_match(name, kSafe);
}

}  // namespace ipsecsim::harness
