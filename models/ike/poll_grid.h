// Periodic reads that sleep while nothing they read can change (pluto's
// sequence-number check, ovs-monitor-ipsec's rounds) resume on the grid
// they kept while awake, so that waking changes no round's time.
#pragma once

#include <ns3/nstime.h>
#include <ns3/simulator.h>

namespace ipsecsim::ike {

// How long until the next point of the grid last + k * period strictly
// after now: a point that is now would have run before whatever woke it.
inline ns3::Time WaitForNextGridPoint(ns3::Time last, ns3::Time period) {
  const int64_t step = period.GetTimeStep();
  const int64_t since = (ns3::Simulator::Now() - last).GetTimeStep();
  return ns3::TimeStep((since / step + 1) * step - since);
}

}  // namespace ipsecsim::ike
