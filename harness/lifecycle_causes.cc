#include "lifecycle_causes.h"

#include <algorithm>
#include <cstdio>

#include "ovn_connection_name.h"

namespace ipsecsim::harness {
namespace {

constexpr size_t kEventsPerNode = 3;
constexpr size_t kCrossings = 4;

std::string At(double seconds, const std::string& text) {
  char t[32];
  std::snprintf(t, sizeof t, "at %.1f s: ", seconds);
  return t + text;
}

std::string Hex(uint32_t v) {
  char t[16];
  std::snprintf(t, sizeof t, "0x%08x", v);
  return t;
}

// "12.345000s @id: text" -> (12.345, text)
bool SplitDaemonLine(const std::string& line, double* seconds, std::string* text) {
  const size_t s = line.find("s ");
  const size_t colon = line.find(": ", s == std::string::npos ? 0 : s);
  if (s == std::string::npos || colon == std::string::npos) return false;
  try {
    *seconds = std::stod(line.substr(0, s));
  } catch (...) {
    return false;
  }
  *text = line.substr(colon + 2);
  return true;
}

bool Names(const std::string& text, const std::string& self, const std::string& peer) {
  for (sim::OvnDirection d : {sim::OvnDirection::kOut, sim::OvnDirection::kIn})
    if (text.find(sim::OvnConnectionName(self, peer, d)) != std::string::npos) return true;
  return false;
}

}  // namespace

PairCause ExplainPair(const sim::ClusterWorld& world, const sim::IkeMesh& mesh,
                      const sim::PairStateSampler& sampler,
                      const std::vector<sim::LifecycleLogLine>& log, bool nbIpsec, uint32_t a,
                      uint32_t b) {
  PairCause cause;
  std::vector<std::pair<double, std::string>> chain;
  // The control plane's last acts on each node's IPsec.
  for (uint32_t node : {a, b}) {
    std::vector<const sim::LifecycleLogLine*> mine;
    for (const sim::LifecycleLogLine& l : log)
      if (l.node == int(node) && l.touchesIpsec) mine.push_back(&l);
    const size_t from = mine.size() > kEventsPerNode ? mine.size() - kEventsPerNode : 0;
    for (size_t i = from; i < mine.size(); ++i) chain.push_back({mine[i]->seconds, mine[i]->text});
  }
  // Crossed initiations the plutos of either node saw with the other.
  std::vector<std::pair<double, std::string>> crossings;
  for (auto [self, peer] : {std::pair{a, b}, std::pair{b, a}}) {
    const std::string me = world.NodeName(self), other = world.NodeName(peer);
    for (const auto& daemon : mesh.nodes[self]->Daemons()) {
      for (const std::string& line : daemon->Log()) {
        double t = 0;
        std::string text;
        if (line.find("crossing") == std::string::npos &&
            line.find("duplicate") == std::string::npos)
          continue;
        if (!SplitDaemonLine(line, &t, &text) || !Names(text, me, other)) continue;
        crossings.push_back({t, me + "'s pluto: " + text});
      }
    }
  }
  std::sort(crossings.begin(), crossings.end());
  const size_t from = crossings.size() > kCrossings ? crossings.size() - kCrossings : 0;
  chain.insert(chain.end(), crossings.begin() + long(from), crossings.end());
  std::sort(chain.begin(), chain.end());
  for (const auto& [t, text] : chain) cause.chain.push_back(At(t, text));
  // What the kernels hold now, direction by direction.
  bool blackHoled = false, clear = false, receiverFlushed = false;
  auto lastActFlushed = [&log](uint32_t node) {
    for (auto it = log.rbegin(); it != log.rend(); ++it)
      if (it->node == int(node) && it->touchesIpsec)
        return it->text.find("flushes") != std::string::npos;
    return false;
  };
  for (auto [from_, to] : {std::pair{a, b}, std::pair{b, a}}) {
    const std::string f = world.NodeName(from_), t = world.NodeName(to);
    const sim::DirectionState d = sampler.Direction(from_, to);
    switch (d) {
      case sim::DirectionState::kBlackHoled:
        blackHoled = true;
        receiverFlushed |= lastActFlushed(to);
        cause.chain.push_back("now: " + f + " sends Geneve to " + t + " on ESP SPI " +
                              Hex(sampler.OutboundSpi(from_, to)) + ", which " + t +
                              " holds no inbound state for: dropped there");
        break;
      case sim::DirectionState::kClear:
        clear = true;
        cause.chain.push_back("now: " + f + " sends Geneve to " + t + " in clear (no policy)");
        break;
      case sim::DirectionState::kNegotiating:
      case sim::DirectionState::kDiscard:
        cause.chain.push_back("now: " + f + " holds a policy for " + t + " but no SA to use");
        break;
      case sim::DirectionState::kUp:
      case sim::DirectionState::kNodeDown:
        break;
    }
  }
  if (clear && !nbIpsec) {
    cause.kind = "ipsec-off";
  } else if (clear) {
    cause.kind = "clear";
  } else if (blackHoled && !crossings.empty()) {
    cause.kind = "crossing-streams";
  } else if (blackHoled && receiverFlushed) {
    cause.kind = "flush-under-pluto";
  } else if (blackHoled) {
    cause.kind = "stale-sa";
  } else {
    cause.kind = "no-sa";
  }
  return cause;
}

}  // namespace ipsecsim::harness
