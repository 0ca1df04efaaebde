// A flow's datagrams on the wire around an MTU change: before the first
// node's pod MTU changed, while nodes with different pod MTUs coexisted
// (mixed), and after the last one changed.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "cluster_lifecycle.h"
#include "report.h"

namespace ipsecsim::harness {

struct MixedWindow {
  double from = 0, until = 0;
};

// From the first to the last change of a node's pod (route) MTU; none when
// no pod MTU changed.
std::optional<MixedWindow> MixedMtuWindow(const std::vector<sim::NodeMtuChange>& changes);

// pieces: (seconds, underlay packets) per datagram where it entered the
// underlay; dfDrops: when the tunnels dropped one for DF.
std::vector<MtuPhase> MtuPhases(const std::vector<std::pair<double, uint32_t>>& pieces,
                                const std::vector<double>& dfDrops,
                                std::optional<MixedWindow> mixed, double end);

}  // namespace ipsecsim::harness
