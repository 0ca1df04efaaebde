// The node's way out to the underlay (br-ex to the NIC), where the underlay
// MTU is enforced the way a Linux host does it: an IPv4 packet that does not
// fit is cut into RFC 791 fragments, unless DF is set, in which case it is
// dropped. ns-3's own fragmentation ignores DF, so br-ex hands whole datagrams
// here instead.
#pragma once

#include <ns3/ipv4-header.h>
#include <ns3/packet.h>

#include <cstdint>
#include <vector>

namespace ipsecsim::sim {

// The pieces of ipPacket (IPv4 header included) that fit mtu: the packet
// itself when it fits, its fragments otherwise, nothing when DF forbids it.
// Each fragment's header checksum is computed when `headerChecksum` is set
// (ip_do_fragment's ip_send_check), and left zero otherwise.
std::vector<ns3::Ptr<ns3::Packet>> FitToMtu(ns3::Ptr<const ns3::Packet> ipPacket, uint32_t mtu,
                                            bool headerChecksum = true);

// Rewrites the DF bit of an IPv4 packet in place, with its header checksum
// computed again, or zero without `headerChecksum`.
void SetDontFragment(ns3::Ptr<ns3::Packet> ipPacket, bool dontFragment, bool headerChecksum = true);

}  // namespace ipsecsim::sim
