// How fast the control plane rolls things out (the scenario's
// lifecycle.daemonset and lifecycle.machine_config; docs/lifecycle.md).
#pragma once

#include <string>

#include "machine_config_pool.h"

namespace ipsecsim::sim {

struct RolloutTiming {
  // DaemonSet rolling update: pods replaced at once (a count, or a
  // percentage of the nodes rounded up, like Kubernetes).
  std::string daemonSetMaxUnavailable = "10%";
  double podStopSeconds = 2;         // termination of an IPsec pod
  double podStartSeconds = 8;        // scheduling, image and start until pluto runs
  double podStartJitterSeconds = 4;  // each start adds a uniform draw up to this
  // Machine Config Operator: every pool's maxUnavailable unless its own is set.
  MaxUnavailable mcoMaxUnavailable = 1;
  double drainSeconds = 30;
  double rebootSeconds = 90;
  double readySeconds = 20;  // from the reboot to the node counting as updated
  double rebootJitterSeconds = 10;
};

}  // namespace ipsecsim::sim
