// Quiet time: while an advance step runs nobody touches the cluster, and
// the periodic observers (pair samples, probes) slow down or pause until it
// ends, so that years of simulated time cost minutes. The models (IKE
// rekeys, ovs-monitor-ipsec) keep their own timers.
#pragma once

#include <ns3/simulator.h>

#include <algorithm>
#include <functional>
#include <optional>

namespace ipsecsim::sim {

// When the current quiet time ends (nullopt: not in one).
using QuietUntil = std::function<std::optional<double>()>;

// The wait before the next observation: `interval` normally; in quiet time
// `quietInterval`, or until it ends (quietInterval 0, or the end is sooner).
inline double NextObservation(const QuietUntil& quiet, double interval, double quietInterval) {
  const std::optional<double> until = quiet ? quiet() : std::nullopt;
  if (!until) return interval;
  const double left = *until - ns3::Simulator::Now().GetSeconds();
  return quietInterval > 0 ? std::min(quietInterval, left) : left;
}

}  // namespace ipsecsim::sim
