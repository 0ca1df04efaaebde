// The underlay's switch: one port per node link. It knows from the start
// which port every attached MAC is behind (each node's NIC, and a NAT's
// outside device in front of its node), so it never floods a unicast frame,
// and its entries never age out during a run. Broadcast and multicast go out
// of every other port. A source MAC nobody told it about is learned, without
// ageing; a unicast frame to a MAC it does not know is flooded, as a learning
// bridge does (no frame of the simulated cluster is).
//
// Assumption (docs/architecture.md, "Underlay switch"): the fabric of a cloud
// VPC, or a data-centre network with static MAC entries, knows the MAC of
// every attached interface; ns-3's learning bridge (BridgeNetDevice) instead
// floods every unicast frame to a MAC it has not seen as a source, which in
// a one-way flow is every frame, and forgets entries after 300 s.
#pragma once

#include <ns3/mac48-address.h>
#include <ns3/net-device.h>
#include <ns3/node.h>
#include <ns3/packet.h>

#include <map>
#include <vector>

namespace ipsecsim::sim {

class UnderlaySwitch {
 public:
  explicit UnderlaySwitch(ns3::Ptr<ns3::Node> node) : node_(node) {}
  UnderlaySwitch(const UnderlaySwitch&) = delete;
  UnderlaySwitch& operator=(const UnderlaySwitch&) = delete;

  // A port of the switch: a device of its node that supports SendFrom.
  void AddPort(ns3::Ptr<ns3::NetDevice> port);
  // Frames to `mac` leave through `port`, for the whole run.
  void Attach(ns3::Mac48Address mac, ns3::Ptr<ns3::NetDevice> port);

 private:
  void Receive(ns3::Ptr<ns3::NetDevice> in, ns3::Ptr<const ns3::Packet> frame, uint16_t protocol,
               const ns3::Address& source, const ns3::Address& destination,
               ns3::NetDevice::PacketType type);
  void Flood(ns3::Ptr<ns3::NetDevice> in, ns3::Ptr<const ns3::Packet> frame, uint16_t protocol,
             const ns3::Address& source, const ns3::Address& destination);

  ns3::Ptr<ns3::Node> node_;
  std::vector<ns3::Ptr<ns3::NetDevice>> ports_;
  std::map<ns3::Mac48Address, ns3::Ptr<ns3::NetDevice>> table_;
};

}  // namespace ipsecsim::sim
