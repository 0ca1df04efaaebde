// The routed core of the underlay, where the MTU is smaller than on the
// nodes' own links, and how IPv6 sources learn it.
//
// IPv6 routers never fragment (RFC 8200 §5): a router that cannot forward a
// packet because it exceeds the next link's MTU drops it and answers the
// source with ICMPv6 Packet Too Big (RFC 4443 §3.2: type 2, code 0, the MTU,
// then as much of the invoking packet as fits without the ICMPv6 packet
// exceeding the IPv6 minimum MTU, 1280). The source records that MTU for the
// destination (Path MTU Discovery, RFC 8201) and fragments what it sends next
// itself (RFC 8200 §4.5).
//
// The hop only sends the Packet Too Big; the reaction is ns-3's own. In
// ns-3.37, Icmpv6L4Protocol::Receive hands type 2 to
// Icmpv6L4Protocol::HandlePacketTooBig, which calls
// Ipv6L3Protocol::SetPmtu(destination of the quoted packet, MTU) into the
// node's Ipv6PmtuCache and then forwards the error to the L4 protocol (a UDP
// socket's "IcmpCallback6"). Ipv6L3Protocol::SendRealOut then takes the
// cached PMTU as the target MTU for packets the node originates and cuts them
// into fragments. (Verified in the ns-3.37 source of both functions and in
// the disassembly of the installed libns3-internet.so.37.) The cache entry
// expires after Ipv6PmtuCache's validity time.
//
// Mechanism: a PathMtuHop is the "ReceiveErrorModel" of one switch port
// (added with AddReceiveFilter, receive_filter_chain.h), so it sees each frame
// the node on that port sends into the underlay, Ethernet header and trailer
// included, before the bridge does. It "corrupts" (drops) an IPv6 packet
// longer than `mtu` and schedules the Packet Too Big out of the same port,
// by SendFrom with the hop's own MAC to the invoking frame's source MAC: an
// error model must not send into the device that is calling it. Each port
// needs its own hop, because an error model is not told which device it
// filters; InstallPathMtuHop makes and installs one.
//
// No Packet Too Big is sent for an ICMPv6 error message (RFC 4443 §2.4 e.1)
// or to a source that does not name one node (unspecified or multicast,
// §2.4 e.6); the packet is still dropped. No rate limiting (§2.4 f): every
// oversized packet is answered.
//
// Passed through unchanged:
//   - IPv4: its MTU is modelled at the sending node's br-ex
//     (sim/underlay_egress.h), which fragments or, with DF, drops; IPv4
//     routers' "fragmentation needed" is not modelled here;
//   - IPv6 packets that fit, non-IP frames (ARP), and malformed or truncated
//     frames, which the other filters and the receivers count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ns3/error-model.h"
#include "ns3/ipv6-address.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"

namespace ipsecsim::natt {

struct PathMtuHopConfig {
  uint32_t mtu = 1400;                         // at least 1280, the IPv6 minimum MTU
  ns3::Ipv6Address address{"fd00:1::1"};       // source of its Packet Too Big
  ns3::Mac48Address mac{"02:00:00:00:fe:01"};  // source MAC of its frames
};

struct PathMtuHopCounters {
  uint64_t tooBig = 0;   // IPv6 packets dropped for exceeding the MTU
  uint64_t ptbSent = 0;  // Packet Too Big messages put on the wire
  PathMtuHopCounters& operator+=(const PathMtuHopCounters& other);
};

class PathMtuHop : public ns3::ErrorModel {
 public:
  static ns3::TypeId GetTypeId();

  // `port` is the device this hop filters and answers through. Throws
  // std::invalid_argument when the MTU is below 1280 or the port cannot
  // SendFrom.
  PathMtuHop(ns3::Ptr<ns3::NetDevice> port, const PathMtuHopConfig& config);

  const PathMtuHopConfig& Config() const { return config_; }
  ns3::Ptr<ns3::NetDevice> Port() const { return ns3::Ptr<ns3::NetDevice>(port_); }
  const PathMtuHopCounters& Counters() const { return counters_; }

  // "path-mtu hop 1400: 3 packets too big, 3 Packet Too Big sent"
  std::string Report() const;

 private:
  bool DoCorrupt(ns3::Ptr<ns3::Packet> frame) override;
  void DoReset() override;
  void Send(ns3::Ptr<ns3::Packet> packetTooBig, ns3::Mac48Address to);

  // The port holds this hop as its receive filter; a counted reference back
  // would be a cycle that is never freed.
  ns3::NetDevice* port_;
  PathMtuHopConfig config_;
  PathMtuHopCounters counters_;
  std::vector<uint8_t> frameBytes_;
};

// Report() for counters summed over several hops of the same MTU.
std::string PathMtuHopReport(uint32_t mtu, const PathMtuHopCounters& counters);

// Makes a hop for `port` (a switch port) and adds it after the receive
// filters already there. Throws std::invalid_argument as the constructor
// does, or when the port has no "ReceiveErrorModel".
ns3::Ptr<PathMtuHop> InstallPathMtuHop(ns3::Ptr<ns3::NetDevice> port,
                                       const PathMtuHopConfig& config);

}  // namespace ipsecsim::natt
