#include "external_pair_sampler.h"

#include <ns3/simulator.h>

namespace ipsecsim::sim {

namespace {

// An arbitrary UDP datagram between the two: the conns select host to host.
constexpr uint16_t kSamplePort = 7000;

}  // namespace

ExternalPairSampler::ExternalPairSampler(ClusterWorld& world,
                                         std::vector<ns3::Ptr<xfrm::XfrmStack>> nodeStacks,
                                         std::vector<Host> hosts, NodeUp nodeUp)
    : world_(world),
      nodeStacks_(std::move(nodeStacks)),
      hosts_(std::move(hosts)),
      nodeUp_(std::move(nodeUp)) {
  for (uint32_t n = 0; n < nodeStacks_.size(); ++n)
    for (size_t h = 0; h < hosts_.size(); ++h) pairs_.push_back(History{n, h, {}, false});
}

DirectionState ExternalPairSampler::Direction(const xfrm::XfrmStack& from, ns3::Ipv4Address fromIp,
                                              const xfrm::XfrmStack& to,
                                              ns3::Ipv4Address toIp) const {
  const auto decision =
      from.DecideOutbound(xfrm::FlowTuple::Between(fromIp, toIp, 17, kSamplePort, kSamplePort));
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
  const bool twin = to.States().FindInbound(decision.spi, toIp, xfrm::kProtoEsp) != nullptr;
  return twin ? DirectionState::kUp : DirectionState::kBlackHoled;
}

PairState ExternalPairSampler::PairNow(const History& p) const {
  if (!nodeUp_(p.node)) return PairState::kNodeDown;
  const Host& host = hosts_[p.host];
  const xfrm::XfrmStack& node = *nodeStacks_[p.node];
  const ns3::Ipv4Address nodeIp = world_.NodeIp(p.node);
  return CombineDirections(Direction(node, nodeIp, *host.stack, host.ip),
                           Direction(*host.stack, host.ip, node, nodeIp));
}

void ExternalPairSampler::Start(double start, double interval) {
  interval_ = interval;
  ns3::Simulator::Schedule(ns3::Seconds(start), [this] { Sample(); });
}

void ExternalPairSampler::Record() {
  const double now = ns3::Simulator::Now().GetSeconds();
  for (History& p : pairs_) {
    const PairState s = PairNow(p);
    p.everBlackHoled |= s == PairState::kBlackHoled;
    ExtendHistory(p.intervals, s, now);
  }
}

void ExternalPairSampler::Sample() {
  Record();
  ns3::Simulator::Schedule(ns3::Seconds(NextObservation(quiet_, interval_, quietInterval_)),
                           [this] { Sample(); });
}

void ExternalPairSampler::Finish() { Record(); }

}  // namespace ipsecsim::sim
