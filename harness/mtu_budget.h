// The cluster's MTU budget set against the exact per-packet overhead, so a
// report can say where the documented 46-byte IPsec reduction is more than
// needed or not enough.
#pragma once

#include "report.h"
#include "scenario.h"

namespace ipsecsim::harness {

MtuBudget ComputeMtuBudget(const ClusterSpec& cluster);

}  // namespace ipsecsim::harness
