#include "mtu_phases.h"

namespace ipsecsim::harness {

std::optional<MixedWindow> MixedMtuWindow(const std::vector<sim::NodeMtuChange>& changes) {
  std::optional<MixedWindow> w;
  for (const sim::NodeMtuChange& c : changes) {
    if (c.before.RouteMtu() == c.after.RouteMtu()) continue;
    if (!w) w = MixedWindow{c.seconds, c.seconds};
    w->until = c.seconds;
  }
  return w;
}

std::vector<MtuPhase> MtuPhases(const std::vector<std::pair<double, uint32_t>>& pieces,
                                const std::vector<double>& dfDrops,
                                std::optional<MixedWindow> mixed, double end) {
  if (!mixed) return {};
  std::vector<MtuPhase> phases = {{"before", 0, mixed->from},
                                  {"mixed", mixed->from, mixed->until},
                                  {"after", mixed->until, end}};
  // A change at t belongs to what follows it: [from, until).
  auto phaseOf = [&](double t) -> MtuPhase& {
    return t < mixed->from ? phases[0] : t < mixed->until ? phases[1] : phases[2];
  };
  for (const auto& [t, packets] : pieces) {
    MtuPhase& p = phaseOf(t);
    ++p.datagrams;
    if (packets > 1) p.fragments += packets;
  }
  for (double t : dfDrops) ++phaseOf(t).dfDrops;
  return phases;
}

}  // namespace ipsecsim::harness
