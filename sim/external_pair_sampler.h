// Samples, for every node and external host, what their two kernels would do
// with a datagram between them right now (node IP <-> host IP, UDP), and
// keeps each pair's history as intervals, as PairStateSampler does for the
// node pairs: up when each direction has an outbound SA whose inbound twin
// the receiver holds, black-holed when a sender has an SA the receiver
// lacks, clear when neither kernel has a policy for it, node-down while the
// node reboots, incomplete otherwise.
#pragma once

#include <ns3/ipv4-address.h>

#include <functional>
#include <string>
#include <vector>

#include "cluster_world.h"
#include "pair_state_sampler.h"
#include "xfrm_stack.h"

namespace ipsecsim::sim {

class ExternalPairSampler {
 public:
  struct Host {
    std::string name;
    ns3::Ipv4Address ip;
    ns3::Ptr<xfrm::XfrmStack> stack;
  };
  struct History {
    uint32_t node = 0;
    size_t host = 0;
    std::vector<PairInterval> intervals;
    bool everBlackHoled = false;
  };
  using NodeUp = std::function<bool(uint32_t node)>;

  ExternalPairSampler(ClusterWorld& world, std::vector<ns3::Ptr<xfrm::XfrmStack>> nodeStacks,
                      std::vector<Host> hosts, NodeUp nodeUp);
  void Start(double start, double interval);
  // In quiet time, a sample every `interval` (and one at its end).
  void SetQuietTime(QuietUntil quiet, double interval) {
    quiet_ = std::move(quiet);
    quietInterval_ = interval;
  }
  void Finish();  // one more sample at the end, closing every interval
  const std::vector<History>& Pairs() const { return pairs_; }
  const std::vector<Host>& Hosts() const { return hosts_; }

 private:
  DirectionState Direction(const xfrm::XfrmStack& from, ns3::Ipv4Address fromIp,
                           const xfrm::XfrmStack& to, ns3::Ipv4Address toIp) const;
  PairState PairNow(const History& p) const;
  void Record();
  void Sample();

  ClusterWorld& world_;
  std::vector<ns3::Ptr<xfrm::XfrmStack>> nodeStacks_;
  std::vector<Host> hosts_;
  NodeUp nodeUp_;
  double interval_ = 1;
  QuietUntil quiet_;
  double quietInterval_ = 0;
  std::vector<History> pairs_;
};

}  // namespace ipsecsim::sim
