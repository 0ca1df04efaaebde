// Probes between every pair of nodes, for lifecycle runs: one cluster pod
// per node sends a marked, numbered UDP datagram to every other node's probe
// pod each interval, for as long as the simulation runs. What arrived, and
// when each was sent, gives each ordered pair its loss windows; the wire
// oracle sees the probes like any flow (their markers follow the
// scenario's flows).
#pragma once

#include <ns3/internet-module.h>
#include <ns3/network-module.h>

#include <vector>

#include "cluster_world.h"
#include "quiet_time.h"

namespace ipsecsim::sim {

class ProbeMesh {
 public:
  static constexpr uint16_t kPort = 7777;

  struct Pair {
    uint32_t from = 0;
    uint32_t to = 0;
    int marker = 0;
    std::vector<double> sentAt;  // by sequence number
    std::vector<bool> delivered;
  };

  // Adds the probe pods; markers firstMarker, firstMarker + 1, ...
  ProbeMesh(ClusterWorld& world, int firstMarker, double intervalSeconds, uint32_t size);
  void Start(double seconds);
  // No probes in quiet time: the next round goes at its end.
  void SetQuietTime(QuietUntil quiet) { quiet_ = std::move(quiet); }
  const std::vector<Pair>& Pairs() const { return pairs_; }
  double IntervalSeconds() const { return interval_; }
  // How many markers the probes of `nodes` nodes take.
  static int MarkersFor(uint32_t nodes) { return int(nodes * (nodes - 1)); }

 private:
  void Tick();
  void OnReceive(ns3::Ptr<ns3::Socket> socket);

  double interval_;
  QuietUntil quiet_;
  uint32_t size_;
  int firstMarker_;
  std::vector<Endpoint> pods_;
  std::vector<ns3::Ptr<ns3::Socket>> sockets_;
  std::vector<Pair> pairs_;
};

}  // namespace ipsecsim::sim
