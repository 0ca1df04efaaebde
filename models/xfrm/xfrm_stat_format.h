// Text output of a node's xfrm counters.
#pragma once

#include <string>

#include "xfrm_stat.h"

namespace ipsecsim::xfrm {

// Every counter, one per line, formatted like Linux /proc/net/xfrm_stat
// ("%-24s\t%lu\n"), in the kernel's order.
std::string FormatXfrmStat(const XfrmCounters& counters);

}  // namespace ipsecsim::xfrm
