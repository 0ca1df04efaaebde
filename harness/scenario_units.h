// Scenario values that are not durations: data rates and names.
#pragma once

#include <optional>
#include <string>

namespace ipsecsim::harness {

inline constexpr const char* kDataRateExamples = "a rate like 10Gbps, 2.5Gbps, 100Mbps or 1000kbps";

// Bits per second for the ns-3 DataRate spellings a scenario may use:
// a number followed by bps, kbps, Kbps, Mbps, Gbps (or b/s, kb/s, Kb/s, Mb/s, Gb/s).
std::optional<double> ParseDataRateBitsPerSecond(const std::string& text);

// A Kubernetes DNS-1123 label: 1 to 63 of [a-z0-9-], starting and ending
// alphanumeric. Pool, node and pod names must be labels.
bool IsDnsLabel(const std::string& name);

// Scenario and flow names end up in file names (results/<scenario>/, pcaps):
// 1 to 100 of [A-Za-z0-9._-], not starting with '.' or '-'.
bool IsFileSafeName(const std::string& name);

}  // namespace ipsecsim::harness
