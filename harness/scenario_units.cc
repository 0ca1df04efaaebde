#include "scenario_units.h"

#include <regex>

#include "durations.h"

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
  const std::optional<DecimalAndUnit> parsed = SplitDecimal(text, false, false);
  if (!parsed) return std::nullopt;
  for (const char* unit :
       {"bps", "kbps", "Kbps", "Mbps", "Gbps", "b/s", "kb/s", "Kb/s", "Mb/s", "Gb/s"})
    if (parsed->unit == unit) return parsed->value * UnitBitsPerSecond(parsed->unit);
  return std::nullopt;
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
