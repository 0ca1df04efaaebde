// Samples, for every pair of nodes, what their kernels would do with Geneve
// between them right now, and keeps each pair's history as intervals.
// A direction is "up" when the sender's kernel has an outbound SA for it
// and the receiver holds the inbound twin (same SPI); "black-holed" when the
// sender has an SA the receiver lacks: every packet is then dropped at the
// receiver (XfrmInNoStates) while both daemons may well report the
// connection up (mechanics §7).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cluster_world.h"
#include "ipsec_ike_mesh.h"
#include "quiet_time.h"

namespace ipsecsim::sim {

enum class DirectionState { kUp, kBlackHoled, kNegotiating, kClear, kDiscard, kNodeDown };
// A pair: up (both directions up), black-holed (either direction), clear
// (both clear), node-down, or incomplete (anything else: at least one
// direction has no usable SA, while it is negotiated or for good).
enum class PairState { kUp, kBlackHoled, kIncomplete, kClear, kNodeDown };

const char* ToString(PairState s);

struct PairInterval {
  double from = 0;
  double to = 0;
  PairState state = PairState::kClear;
};

// Both directions into the pair's state (node-down decided before).
PairState CombineDirections(DirectionState ab, DirectionState ba);
// Extends a history to `now`, opening a new interval when the state changed.
void ExtendHistory(std::vector<PairInterval>& intervals, PairState state, double now);

struct PairHistory {
  uint32_t a = 0;
  uint32_t b = 0;
  std::vector<PairInterval> intervals;
  bool everBlackHoled = false;
};

class PairStateSampler {
 public:
  using NodeUp = std::function<bool(uint32_t node)>;
  PairStateSampler(ClusterWorld& world, IkeMesh& mesh, NodeUp nodeUp);
  // Samples every `interval` seconds from `start` on.
  void Start(double start, double interval);
  // One more sample at the end of the run, closing every interval.
  // In quiet time, a sample every `interval` (and one at its end).
  void SetQuietTime(QuietUntil quiet, double interval) {
    quiet_ = std::move(quiet);
    quietInterval_ = interval;
  }
  void Finish();

  DirectionState Direction(uint32_t from, uint32_t to) const;
  // The SPI of the outbound SA `from` sends Geneve to `to` on (0: none).
  uint32_t OutboundSpi(uint32_t from, uint32_t to) const;
  const std::vector<PairHistory>& Pairs() const { return pairs_; }
  double IntervalSeconds() const { return interval_; }

 private:
  void Sample();
  void Record();
  PairState PairNow(uint32_t a, uint32_t b) const;

  ClusterWorld& world_;
  IkeMesh& mesh_;
  NodeUp nodeUp_;
  double interval_ = 1;
  QuietUntil quiet_;
  double quietInterval_ = 0;
  std::vector<PairHistory> pairs_;
};

}  // namespace ipsecsim::sim
