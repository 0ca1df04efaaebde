// ChecksumOffload: the checksums a Linux node's stack leaves to the NIC, or
// computes itself where the L4 header is about to be hidden or split, filled
// once per packet. Linux's UDP and TCP hand a segment down CHECKSUM_PARTIAL
// (csum_start/csum_offset); the device fills the checksum on its way out,
// and skb_checksum_help fills it in software first where the device could
// not: before xfrm encrypts it (xfrm_output) and before ip_fragment cuts it.
// In the simulator every place that hides or splits a segment comes after
// its L4 protocol's down target, so the segment's checksum is filled there:
//
//   InternetStackHelper().Install(node);
//   ChecksumOffload::Install(node);  // before XfrmStack, TCP hooks, ...
//
// The object becomes the down target of the node's UDP, TCP (both IP
// versions) and ICMP, below whatever hooks itself in later. XfrmStack fills
// with FillBytes before it seals a segment, since it sends ESP straight
// to IP. ns-3's own checksums (its global ChecksumEnabled) stay off, and
// with them its receivers' verification: a NIC with receive offload, on a
// wire that never corrupts a bit. ICMPv6 needs nothing: ns-3 always
// computes it. IPv4 header checksums belong to IP (sim/linux_ip_output).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/packet.h"

namespace ipsecsim::xfrm {

class ChecksumOffload : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId();

  // Aggregates a ChecksumOffload to the node (which must have the internet
  // stack) under its L4 protocols; returns it.
  static ns3::Ptr<ChecksumOffload> Install(ns3::Ptr<ns3::Node> node);

  // Fills the checksum of a UDP, TCP or ICMP segment (or ICMPv6, over IPv6)
  // sent from src to dst; other protocols are left alone.
  void Fill(ns3::Ptr<ns3::Packet> segment, ns3::Ipv4Address src, ns3::Ipv4Address dst,
            uint8_t protocol);
  void Fill(ns3::Ptr<ns3::Packet> segment, ns3::Ipv6Address src, ns3::Ipv6Address dst,
            uint8_t protocol);
  // The same on the segment's bytes, for a caller that holds them anyway.
  static void FillBytes(uint8_t* segment, size_t len, ns3::Ipv4Address src, ns3::Ipv4Address dst,
                        uint8_t protocol);
  static void FillBytes(uint8_t* segment, size_t len, ns3::Ipv6Address src, ns3::Ipv6Address dst,
                        uint8_t protocol);

 protected:
  void DoDispose() override;

 private:
  void Attach(ns3::Ptr<ns3::Node> node);
  void Send(ns3::Ptr<ns3::Packet> segment, ns3::Ipv4Address src, ns3::Ipv4Address dst,
            uint8_t protocol, ns3::Ptr<ns3::Ipv4Route> route);
  void Send6(ns3::Ptr<ns3::Packet> segment, ns3::Ipv6Address src, ns3::Ipv6Address dst,
             uint8_t protocol, ns3::Ptr<ns3::Ipv6Route> route);
  // Fills the packet's checksum through its bytes; Address is Ipv4Address or Ipv6Address.
  template <class Address>
  void FillPacket(ns3::Ptr<ns3::Packet> segment, Address src, Address dst, uint8_t protocol);

  std::map<uint8_t, ns3::IpL4Protocol::DownTargetCallback> m_lower;
  std::map<uint8_t, ns3::IpL4Protocol::DownTargetCallback6> m_lower6;
  std::vector<uint8_t> m_scratch;  // the segment being summed; never held across calls
};

}  // namespace ipsecsim::xfrm
