// Taps every underlay NIC and keeps, per flow, which links carried its
// packets and in which class: the evidence behind every verdict.
#pragma once

#include <ns3/net-device.h>
#include <ns3/packet.h>

#include <functional>
#include <map>
#include <string>

#include "packet_classifier.h"

namespace ipsecsim::harness {

struct FlowWireEvidence {
  std::map<std::string, std::map<std::string, uint64_t>> links;  // link -> class -> packets
  uint64_t protectedPackets = 0;
  uint64_t clearPackets = 0;
};

class WireOracle {
 public:
  PacketClassifier& Classifier() { return classifier_; }
  // Called before each frame is read, so keys of SAs negotiated during the
  // run are known to the classifier by the time their packets appear.
  void SetKeyRefresh(std::function<void(PacketClassifier&)> refresh) {
    keyRefresh_ = std::move(refresh);
  }
  // Observes every frame the NIC puts on the wire (once per frame).
  void Tap(ns3::Ptr<ns3::NetDevice> nic, const std::string& linkName);

  const FlowWireEvidence* Evidence(int flow) const;
  const std::map<std::string, uint64_t>& ClassTotals() const { return classTotals_; }

 private:
  void OnFrame(std::string link, ns3::Ptr<const ns3::Packet> frame);

  PacketClassifier classifier_;
  std::function<void(PacketClassifier&)> keyRefresh_;
  std::map<int, FlowWireEvidence> flows_;
  std::map<std::string, uint64_t> classTotals_;
};

}  // namespace ipsecsim::harness
