// What this process has cost so far, for benchmarks that run each case in a
// forked child so that the figures are the case's own.
#pragma once

#include <sys/resource.h>

namespace ipsecsim::bench {

struct SelfUsage {
  double cpuSeconds = 0;  // user + system: robust to other load on the machine
  double peakRssKiB = 0;
};

inline SelfUsage ReadSelfUsage() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  SelfUsage s;
  s.peakRssKiB = double(u.ru_maxrss);
  s.cpuSeconds = double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                 double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
  return s;
}

}  // namespace ipsecsim::bench
