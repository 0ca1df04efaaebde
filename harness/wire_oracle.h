// Taps every underlay NIC and keeps, per flow, which links carried its
// packets and in which class: the evidence behind every verdict.
#pragma once

#include <ns3/net-device.h>
#include <ns3/packet.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "packet_classifier.h"
#include "wire_cost.h"

namespace ipsecsim::harness {

struct FlowWireEvidence {
  std::map<std::string, std::map<std::string, uint64_t>> links;  // link -> class -> packets
  uint64_t protectedPackets = 0;
  uint64_t clearPackets = 0;
  FlowWireCost cost;
  // Where the flow's datagrams entered the underlay: (seconds, in clear);
  // kept only when the oracle records timelines (lifecycle runs).
  std::vector<std::pair<double, bool>> timeline;
  // The same datagrams' underlay packets (more than 1: fragments), by time.
  std::vector<std::pair<double, uint32_t>> pieces;
};

class WireOracle {
 public:
  // Give it the keys of SAs negotiated during the run as they are installed,
  // so it knows them by the time their packets appear.
  PacketClassifier& Classifier() { return classifier_; }
  // Observes every frame the NIC puts on the wire (once per frame). A node's
  // own NIC is where its packets enter the underlay: the flows' wire cost is
  // counted there.
  enum class TapRole { kEntersUnderlay, kForwards };
  void Tap(ns3::Ptr<ns3::NetDevice> nic, const std::string& linkName, TapRole role);
  // Keep each flow's per-packet timeline (verdicts over time windows).
  void RecordTimelines() { timelines_ = true; }

  const FlowWireEvidence* Evidence(int flow) const;
  const std::map<std::string, uint64_t>& ClassTotals() const { return classTotals_; }

 private:
  void OnFrame(std::string link, uint32_t channel, bool entersUnderlay,
               ns3::Ptr<const ns3::Packet> frame);

  PacketClassifier classifier_;
  std::map<int, FlowWireEvidence> flows_;
  std::map<std::string, uint64_t> classTotals_;
  uint32_t taps_ = 0;
  bool timelines_ = false;
};

}  // namespace ipsecsim::harness
