// The simulated wall clock at simulated time 0 (install).
#pragma once

#include <cstdint>

#include "utc_date.h"

namespace ipsecsim::harness {

// 2026-01-01T00:00:00Z: the simulated wall clock at install.
constexpr int64_t kInstallEpoch = 1767225600;

using sim::FormatUtcDate;
using sim::ParseUtcDate;

}  // namespace ipsecsim::harness
