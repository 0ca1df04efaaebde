// The node's way out to the underlay (br-ex to the NIC), where the underlay
// MTU is enforced the way a Linux host does it: an IPv4 packet that does not
// fit is cut into RFC 791 fragments, unless DF is set, in which case it is
// dropped. ns-3's own fragmentation ignores DF, so br-ex hands whole datagrams
// here instead. Neither fills the IPv4 header checksum: the device that
// sends each piece does (xfrm::FillIpv4HeaderChecksum).
#pragma once

#include <ns3/ipv4-header.h>
#include <ns3/packet.h>

#include <cstdint>
#include <vector>

namespace ipsecsim::sim {

// The pieces of ipPacket (IPv4 header included) that fit mtu: the packet
// itself when it fits, its fragments otherwise, nothing when DF forbids it.
std::vector<ns3::Ptr<ns3::Packet>> FitToMtu(ns3::Ptr<const ns3::Packet> ipPacket, uint32_t mtu);

// Rewrites the DF bit of an IPv4 packet in place.
void SetDontFragment(ns3::Ptr<ns3::Packet> ipPacket, bool dontFragment);

}  // namespace ipsecsim::sim
