// The IP headers of tunnel-mode ESP (RFC 4303 §3.1.2), as bytes: the inner
// header the sender wraps around a segment, the outer DS field Linux derives
// from it (xfrm4_tunnel_encap_add / xfrm6_tunnel_encap_add,
// net/xfrm/xfrm_output.c), and the checks and ECN/DSCP decapsulation the
// receiver applies to a decrypted inner packet (xfrm4_remove_tunnel_encap /
// xfrm6_remove_tunnel_encap, net/xfrm/xfrm_input.c).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "policy.h"

namespace ipsecsim::xfrm {

constexpr uint8_t kProtoIpip = 4;   // IPv4 inside ESP
constexpr uint8_t kProtoIpv6 = 41;  // IPv6 inside ESP
constexpr size_t kIpv4HeaderLen = 20;
constexpr size_t kIpv6HeaderLen = 40;

// The per-packet fields of an IP header that are not addresses or lengths.
struct IpFields {
  uint8_t dsField = 0;  // IPv4 TOS / IPv6 traffic class
  uint8_t ttl = 64;     // hop limit
  bool dontFragment = true;
  uint16_t id = 0;  // IPv4 only
};

// Option-less IPv4 header with its checksum.
void WriteIpv4Header(uint8_t* at, ns3::Ipv4Address src, ns3::Ipv4Address dst, uint8_t protocol,
                     uint16_t totalLength, const IpFields& fields);
void WriteIpv6Header(uint8_t* at, ns3::Ipv6Address src, ns3::Ipv6Address dst, uint8_t nextHeader,
                     uint16_t payloadLength, const IpFields& fields);

// INET_ECN_encapsulate (include/net/inet_ecn.h): the outer ECN bits are the
// inner ones, except that CE becomes ECT(0).
uint8_t EcnEncapsulate(uint8_t outer, uint8_t inner);

// The XFRM_STATE_* and XFRM_SA_XFLAG_* flags of `ip xfrm state ... flag`
// that change tunnel headers (include/uapi/linux/xfrm.h).
struct TunnelFlags {
  bool noEcn = false;          // noecn: ECN is neither copied out nor in
  bool decapDscp = false;      // decap-dscp: the outer DSCP replaces the inner one
  bool noPmtuDisc = false;     // nopmtudisc: the outer header never carries DF
  bool dontEncapDscp = false;  // dont-encap-dscp: the outer DSCP is 0
};

// The outer DS field for an inner one (xfrm4/6_tunnel_encap_add).
uint8_t OuterDsField(uint8_t innerDsField, const TunnelFlags& flags);

// A decrypted tunnel-mode payload read as the inner IP packet.
struct InnerPacket {
  FlowTuple flow;  // addresses, protocol and ports of the inner packet
  size_t headerLen = 0;
  size_t length = 0;  // the inner packet's own length; ESP's TFC padding after it is not part
  uint8_t dsField = 0;
};

// nullopt when the payload is not an IP packet of the family the next header
// names (4: IPv4, 41: IPv6), or is shorter than its own header says.
std::optional<InnerPacket> ParseInnerPacket(uint8_t nextHeader, const uint8_t* data, size_t len);

// The receiver's side (xfrm4/6_remove_tunnel_encap): with decap-dscp the
// outer DSCP is copied in; unless noecn, an outer CE marks an ECN-capable
// inner packet CE. Rewrites data (the IPv4 checksum too).
void DecapsulateDsField(uint8_t* data, const InnerPacket& inner, uint8_t outerDsField,
                        const TunnelFlags& flags);

}  // namespace ipsecsim::xfrm
