// Shared by the two-node test worlds (xfrm over IPv4 and IPv6, IKE): two
// hosts with the internet stack on a point-to-point link, their addresses, and
// a tap that parses every IP frame put on the wire from its bytes.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

namespace ipsecsim::test {

// One IPv4 or IPv6 packet as it left a point-to-point device.
struct IpFrame {
  ns3::Time time;
  uint32_t sender = 0;  // node index
  bool ipv6 = false;
  uint32_t src = 0;  // IPv4 only
  uint32_t dst = 0;
  uint8_t protocol = 0;  // the upper layer; for IPv6 found through a Fragment header
  uint32_t length = 0;   // of the IP packet
  bool moreFragments = false;
  uint16_t fragmentOffset = 0;  // in bytes
  std::vector<uint8_t> l4;      // bytes after the IP header (IPv6: and a Fragment header)

  bool IsFirstFragment() const { return fragmentOffset == 0; }
  bool IsFragment() const { return moreFragments || fragmentOffset != 0; }
  // The UDP/TCP ports; 0 in a fragment past the first, which has no L4 header.
  uint16_t SrcPort() const { return HasPorts() ? uint16_t(l4[0] << 8 | l4[1]) : 0; }
  uint16_t DstPort() const { return HasPorts() ? uint16_t(l4[2] << 8 | l4[3]) : 0; }

 private:
  bool HasPorts() const { return IsFirstFragment() && l4.size() >= 4; }
};

// Parses a PPP frame carrying IPv4 (0x0021) or IPv6 (0x0057); nullopt for
// anything else.
inline std::optional<IpFrame> ParsePppFrame(const std::vector<uint8_t>& bytes) {
  constexpr size_t kPpp = 2;
  constexpr uint8_t kFragmentHeader = 44;
  IpFrame f;
  if (bytes.size() >= kPpp + 20 && bytes[0] == 0x00 && bytes[1] == 0x21) {
    const uint8_t* ip = bytes.data() + kPpp;
    f.src = uint32_t(ip[12]) << 24 | uint32_t(ip[13]) << 16 | uint32_t(ip[14]) << 8 | ip[15];
    f.dst = uint32_t(ip[16]) << 24 | uint32_t(ip[17]) << 16 | uint32_t(ip[18]) << 8 | ip[19];
    f.protocol = ip[9];
    f.length = uint32_t(ip[2] << 8 | ip[3]);
    f.moreFragments = ip[6] & 0x20;
    f.fragmentOffset = uint16_t(((ip[6] & 0x1f) << 8 | ip[7]) * 8);
    f.l4.assign(bytes.begin() + kPpp + (ip[0] & 0x0f) * 4, bytes.end());
  } else if (bytes.size() >= kPpp + 40 && bytes[0] == 0x00 && bytes[1] == 0x57) {
    const uint8_t* ip = bytes.data() + kPpp;
    f.ipv6 = true;
    f.protocol = ip[6];
    f.length = 40u + uint32_t(ip[4] << 8 | ip[5]);
    size_t upper = kPpp + 40;
    if (f.protocol == kFragmentHeader && bytes.size() >= upper + 8) {
      f.protocol = bytes[upper];
      f.fragmentOffset = uint16_t((bytes[upper + 2] << 8 | bytes[upper + 3]) & 0xfff8);
      f.moreFragments = bytes[upper + 3] & 0x01;
      upper += 8;
    }
    f.l4.assign(bytes.begin() + upper, bytes.end());
  } else {
    return std::nullopt;
  }
  return f;
}

// Hands `record` every IP frame that either of the two devices puts on the
// wire, parsed, with the time and the index of the sending device.
inline void TapWire(const ns3::NetDeviceContainer& devices, std::function<void(IpFrame)> record) {
  for (uint32_t i = 0; i < devices.GetN(); ++i) {
    devices.Get(i)->TraceConnectWithoutContext(
        "PhyTxBegin", ns3::Callback<void, ns3::Ptr<const ns3::Packet>>(
                          [record, i](ns3::Ptr<const ns3::Packet> frame) {
                            std::vector<uint8_t> bytes(frame->GetSize());
                            frame->CopyData(bytes.data(), bytes.size());
                            std::optional<IpFrame> f = ParsePppFrame(bytes);
                            if (!f) return;
                            f->time = ns3::Simulator::Now();
                            f->sender = i;
                            record(std::move(*f));
                          }));
  }
}

// Creates two nodes with the internet stack, cabled by a 100 Mbps, 1 ms
// point-to-point link; returns the link's devices (node 0's, node 1's).
inline ns3::NetDeviceContainer InstallTwoHosts(ns3::NodeContainer& nodes) {
  nodes.Create(2);
  ns3::PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", ns3::StringValue("100Mbps"));
  p2p.SetChannelAttribute("Delay", ns3::StringValue("1ms"));
  ns3::NetDeviceContainer devices = p2p.Install(nodes);
  ns3::InternetStackHelper().Install(nodes);
  return devices;
}

// 10.1.0.1 and 10.1.0.2 on the link.
inline std::array<ns3::Ipv4Address, 2> AssignIpv4(const ns3::NetDeviceContainer& devices) {
  ns3::Ipv4AddressHelper addresses("10.1.0.0", "255.255.255.0");
  ns3::Ipv4InterfaceContainer ifaces = addresses.Assign(devices);
  return {ifaces.GetAddress(0), ifaces.GetAddress(1)};
}

// The global addresses fd00:1::/64 of the two ends (set
// ns3::Icmpv6L4Protocol::DAD false before the stack is installed).
inline std::array<ns3::Ipv6Address, 2> AssignIpv6(const ns3::NetDeviceContainer& devices) {
  ns3::Ipv6AddressHelper addresses;
  addresses.SetBase(ns3::Ipv6Address("fd00:1::"), ns3::Ipv6Prefix(64));
  ns3::Ipv6InterfaceContainer ifaces = addresses.Assign(devices);
  return {ifaces.GetAddress(0, 1), ifaces.GetAddress(1, 1)};
}

}  // namespace ipsecsim::test
