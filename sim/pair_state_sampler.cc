#include "pair_state_sampler.h"

#include <ns3/simulator.h>

#include "geneve_header.h"

namespace ipsecsim::sim {

const char* ToString(PairState s) {
  switch (s) {
    case PairState::kUp:
      return "up";
    case PairState::kBlackHoled:
      return "black-holed";
    case PairState::kIncomplete:
      return "incomplete";
    case PairState::kClear:
      return "clear";
    case PairState::kNodeDown:
      break;
  }
  return "node-down";
}

PairStateSampler::PairStateSampler(ClusterWorld& world, IkeMesh& mesh, NodeUp nodeUp)
    : world_(world), mesh_(mesh), nodeUp_(std::move(nodeUp)) {
  for (uint32_t a = 0; a < world.NodeCount(); ++a)
    for (uint32_t b = a + 1; b < world.NodeCount(); ++b)
      pairs_.push_back(PairHistory{a, b, {}, false});
}

namespace {

// Towards the address the sender's tunnel uses: a NAT's public one, if any.
xfrm::XfrmStack::OutboundDecision GeneveDecision(ClusterWorld& world, IkeMesh& mesh, uint32_t from,
                                                 uint32_t to) {
  const xfrm::FlowTuple geneve = xfrm::FlowTuple::Between(
      world.UnderlayIp(from), world.ReachableUnderlayIp(to), 17, 49152, geneve::kUdpPort);
  return mesh.stacks.at(from)->DecideOutbound(geneve);
}

}  // namespace

uint32_t PairStateSampler::OutboundSpi(uint32_t from, uint32_t to) const {
  const auto decision = GeneveDecision(world_, mesh_, from, to);
  return decision.kind == xfrm::XfrmStack::OutboundDecision::Kind::kProtected ? decision.spi : 0;
}

DirectionState PairStateSampler::Direction(uint32_t from, uint32_t to) const {
  if (!nodeUp_(from) || !nodeUp_(to)) return DirectionState::kNodeDown;
  const auto decision = GeneveDecision(world_, mesh_, from, to);
  using Kind = xfrm::XfrmStack::OutboundDecision::Kind;
  switch (decision.kind) {
    case Kind::kClear:
      return DirectionState::kClear;
    case Kind::kDiscard:
      return DirectionState::kDiscard;
    case Kind::kNoState:
      return DirectionState::kNegotiating;
    case Kind::kProtected:
      break;
  }
  const bool twin = mesh_.stacks.at(to)->States().FindInbound(decision.spi, world_.UnderlayIp(to),
                                                              xfrm::kProtoEsp) != nullptr;
  return twin ? DirectionState::kUp : DirectionState::kBlackHoled;
}

PairState CombineDirections(DirectionState ab, DirectionState ba) {
  if (ab == DirectionState::kBlackHoled || ba == DirectionState::kBlackHoled)
    return PairState::kBlackHoled;
  if (ab == DirectionState::kUp && ba == DirectionState::kUp) return PairState::kUp;
  if (ab == DirectionState::kClear && ba == DirectionState::kClear) return PairState::kClear;
  return PairState::kIncomplete;
}

void ExtendHistory(std::vector<PairInterval>& intervals, PairState state, double now) {
  if (!intervals.empty()) intervals.back().to = now;
  if (intervals.empty() || intervals.back().state != state)
    intervals.push_back(PairInterval{now, now, state});
}

PairState PairStateSampler::PairNow(uint32_t a, uint32_t b) const {
  const DirectionState ab = Direction(a, b), ba = Direction(b, a);
  if (ab == DirectionState::kNodeDown) return PairState::kNodeDown;
  return CombineDirections(ab, ba);
}

void PairStateSampler::Start(double start, double interval) {
  interval_ = interval;
  ns3::Simulator::Schedule(ns3::Seconds(start), [this] { Sample(); });
}

void PairStateSampler::Record() {
  const double now = ns3::Simulator::Now().GetSeconds();
  for (PairHistory& p : pairs_) {
    const PairState s = PairNow(p.a, p.b);
    p.everBlackHoled |= s == PairState::kBlackHoled;
    ExtendHistory(p.intervals, s, now);
  }
}

void PairStateSampler::Sample() {
  Record();
  ns3::Simulator::Schedule(ns3::Seconds(NextObservation(quiet_, interval_, quietInterval_)),
                           [this] { Sample(); });
}

void PairStateSampler::Finish() { Record(); }

}  // namespace ipsecsim::sim
