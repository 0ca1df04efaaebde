// Reads ICMP "fragmentation needed" (type 3 code 4) on a pod's logical port,
// the wire between the pod and OVN: each message names the packet it answers
// (quoted IPv4 header and first 8 bytes) and the next-hop MTU it announces.
#pragma once

#include <ns3/net-device.h>
#include <ns3/packet.h>

#include <cstdint>
#include <functional>

namespace ipsecsim::harness {

struct FragNeeded {
  uint32_t quotedSource = 0;
  uint32_t quotedDestination = 0;
  uint8_t quotedProtocol = 0;
  uint16_t quotedDestinationPort = 0;
  uint16_t nextHopMtu = 0;
};

// Parses one IPv4 packet; false unless it is a well-formed frag-needed.
bool ParseFragNeeded(const uint8_t* ip, size_t len, FragNeeded* out);

// Calls seen() for every frag-needed the pod's port receives; must outlive
// the simulation run.
class FragNeededTap {
 public:
  FragNeededTap(ns3::Ptr<ns3::NetDevice> podPort, std::function<void(const FragNeeded&)> seen);

 private:
  void OnPacket(ns3::Ptr<const ns3::Packet> packet);
  std::function<void(const FragNeeded&)> seen_;
};

}  // namespace ipsecsim::harness
