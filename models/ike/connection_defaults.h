// What a `conn %default` gives a connection that leaves a key unset
// (libreswan v4.10 lib/libipsecconf/confread.c: the merged %default fills
// every conn's missing keys). Used for the connections ovs-monitor-ipsec
// writes, which set only their addresses, IDs, certificate and selectors:
// a user's %default reaches them at the next pluto start.
#pragma once

#include <optional>

#include "ike_connection.h"

namespace ipsecsim::ike {

struct ConnectionDefaults {
  std::optional<bool> tunnel;              // type
  std::optional<bool> forceEncapsulation;  // encapsulation=yes
  std::optional<double> saLifetimeSeconds;
  std::optional<double> rekeyMarginSeconds;

  void FillIn(ConnectionConfig& c) const {
    if (tunnel) c.tunnel = *tunnel;
    if (forceEncapsulation) c.forceEncapsulation = *forceEncapsulation;
    if (saLifetimeSeconds) c.saLifetimeSeconds = *saLifetimeSeconds;
    if (rekeyMarginSeconds) c.rekeyMarginSeconds = *rekeyMarginSeconds;
  }
};

}  // namespace ipsecsim::ike
