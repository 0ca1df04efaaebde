#include "xfrm_stat_format.h"

#include <cinttypes>
#include <cstdio>

namespace ipsecsim::xfrm {

std::string FormatXfrmStat(const XfrmCounters& counters) {
  std::string out;
  char line[64];
  for (size_t i = 0; i < size_t(XfrmStat::kCount); ++i) {
    const XfrmStat stat = XfrmStat(i);
    std::snprintf(line, sizeof line, "%-24s\t%" PRIu64 "\n", XfrmStatName(stat),
                  counters.Get(stat));
    out += line;
  }
  return out;
}

}  // namespace ipsecsim::xfrm
