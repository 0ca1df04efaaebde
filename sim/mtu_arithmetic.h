// The byte arithmetic of one pod packet on the underlay (mechanics §1 and
// §3): inner IP packet -> Geneve (inner Ethernet 14, OVN option 8, Geneve 8,
// UDP 8, outer IPv4 20 or IPv6 40) -> transport-mode ESP with AES-GCM-16
// (SPI+seq 8, IV 8, pad to (payload + 2) % 4 == 0, pad length 1, next header
// 1, ICV 16) -> optionally UDP 4500 (RFC 3948). ESP and UDP 4500 add the same
// bytes over either family. Used to state budgets and thresholds; verdicts and
// counts still come from the wire.
#pragma once

#include <cstdint>

namespace ipsecsim::sim::mtu {

enum class UnderlayFamily { kIpv4, kIpv6 };

constexpr uint32_t kIpv4Header = 20;
constexpr uint32_t kIpv6Header = 40;
constexpr uint32_t kIpv6FragmentHeader = 8;
constexpr uint32_t kUdpHeader = 8;
constexpr uint32_t kGeneveBudget = 100;  // what OVN-Kubernetes subtracts from the host MTU
constexpr uint32_t kIpsecBudget = 46;    // what the documentation says to subtract for ESP
constexpr uint32_t kEspFixed = 8 + 8 + 1 + 1 + 16;  // 34: everything but the padding
constexpr uint32_t kNattHeader = kUdpHeader;

constexpr uint32_t OuterIpHeader(UnderlayFamily family) {
  return family == UnderlayFamily::kIpv6 ? kIpv6Header : kIpv4Header;
}

// Outer IP + UDP 6081 + Geneve 8 + OVN option 8 + inner Ethernet 14.
constexpr uint32_t GeneveOverhead(UnderlayFamily family) {
  return OuterIpHeader(family) + kUdpHeader + 8 + 8 + 14;
}

constexpr uint32_t kGeneveOverheadIpv4 = GeneveOverhead(UnderlayFamily::kIpv4);  // 58
constexpr uint32_t kGeneveOverheadIpv6 = GeneveOverhead(UnderlayFamily::kIpv6);  // 78

enum class Protection { kNone, kEsp, kEspInUdp };

constexpr uint32_t EspPadding(uint32_t payload) { return (4 - (payload + 2) % 4) % 4; }

// Bytes ESP (and UDP 4500) add to a transport-mode payload of this size.
constexpr uint32_t ProtectionOverhead(uint32_t payload, Protection p) {
  if (p == Protection::kNone) return 0;
  return kEspFixed + EspPadding(payload) + (p == Protection::kEspInUdp ? kNattHeader : 0);
}

// The IP packet length on the underlay (IPv4 total length, IPv6 40 + payload
// length) of a pod packet of innerIpLength bytes carried through Geneve,
// before any underlay fragmentation.
constexpr uint32_t OuterIpLength(uint32_t innerIpLength, Protection p,
                                 UnderlayFamily family = UnderlayFamily::kIpv4) {
  const uint32_t outerHeader = OuterIpHeader(family);
  const uint32_t udp6081 = innerIpLength + GeneveOverhead(family) - outerHeader;
  return outerHeader + udp6081 + ProtectionOverhead(udp6081, p);
}

// The largest pod packet whose tunnel packet fits in one underlay packet.
constexpr uint32_t LargestInnerIpLength(uint32_t underlayMtu, Protection p,
                                        UnderlayFamily family = UnderlayFamily::kIpv4) {
  uint32_t inner = underlayMtu - GeneveOverhead(family);
  while (inner > 0 && OuterIpLength(inner, p, family) > underlayMtu) --inner;
  return inner;
}

// RFC 4303 §3.1.2: transport mode puts ESP between the IP header and the
// segment; tunnel mode wraps the whole inner IP packet and adds an outer
// header (IPv4 20, IPv6 40, next header 4 or 41 inside ESP).
enum class EspMode { kTransport, kTunnel };

// The IP packet length ESP puts on the wire for an IP packet of ipLength
// bytes with an ipHeader-byte header (20 or 40, no options), before any
// fragmentation. Transport mode keeps the packet's header (outer == its own
// family); tunnel mode adds an outer header of family outer.
constexpr uint32_t EspPacketLength(uint32_t ipLength, uint32_t ipHeader, Protection p, EspMode mode,
                                   UnderlayFamily outer) {
  const uint32_t payload = mode == EspMode::kTunnel ? ipLength : ipLength - ipHeader;
  const uint32_t header = mode == EspMode::kTunnel ? OuterIpHeader(outer) : ipHeader;
  return header + payload + ProtectionOverhead(payload, p);
}

// The MTU the kernel reports for a route through an AES-GCM-16 state
// (xfrm_state_mtu, net/xfrm/xfrm_state.c): header_len is ESP 8 + IV 8 (+ UDP
// 8 when encapsulated, + the outer IP header in tunnel mode: esp6_init_state
// in net/ipv6/esp6.c, esp_init_state in net/ipv4/esp4.c), the ICV 16, the
// block size rounded up to 4, net_adj the IP header in transport mode and 0
// in tunnel mode, and 2 for pad length and next header. The result is the
// largest IP packet (transport: with its own header) that fits routeMtu.
constexpr uint32_t XfrmStateMtu(uint32_t routeMtu, Protection p, EspMode mode = EspMode::kTransport,
                                UnderlayFamily family = UnderlayFamily::kIpv4) {
  if (p == Protection::kNone) return routeMtu;
  const bool tunnel = mode == EspMode::kTunnel;
  const uint32_t headerLen =
      8 + 8 + (p == Protection::kEspInUdp ? kNattHeader : 0) + (tunnel ? OuterIpHeader(family) : 0);
  constexpr uint32_t kIcv = 16, kBlock = 4;
  const uint32_t netAdj = tunnel ? 0 : OuterIpHeader(family);
  return ((routeMtu - headerLen - kIcv - netAdj) & ~(kBlock - 1)) + netAdj - 2;
}

// The largest IP packet (header ipHeader bytes) whose ESP packet fits routeMtu.
constexpr uint32_t LargestProtectedIpLength(uint32_t routeMtu, uint32_t ipHeader, Protection p,
                                            EspMode mode, UnderlayFamily outer) {
  uint32_t length = routeMtu;
  while (length > ipHeader && EspPacketLength(length, ipHeader, p, mode, outer) > routeMtu)
    --length;
  return length;
}

// What the Geneve driver subtracts from the route's MTU before it compares
// an inner packet (skb_tunnel_check_pmtu with GENEVE_IPV4_HLEN, 50, plus the
// 8 bytes of OVN's option): the inner Ethernet header counts as headroom.
constexpr uint32_t kGeneveTunnelHeadroom = 14 + kIpv4Header + kUdpHeader + 8 + 8;

// How many packets an IPv6 host sends for a packet of ipv6Length bytes (40 +
// payload length, no extension headers) on a link of linkMtu >= 1280: one when
// it fits, otherwise fragments (RFC 8200 §4.5) cut the way ns-3's
// Ipv6ExtensionFragment::GetFragments does (src/internet/model/ipv6-extension.cc):
// each carries 40 + 8 bytes of headers; every fragment but the last carries
// room = linkMtu - 48 rounded down to a multiple of 8 bytes, and the last one
// whatever is left once that is at most room (not rounded). Checked against
// ns-3.37 itself: at MTU 1500, 2940 B -> 1496 + 1500, 2941 B -> 1496 + 1496 + 53.
constexpr uint32_t Ipv6FragmentCount(uint32_t ipv6Length, uint32_t linkMtu) {
  if (ipv6Length <= linkMtu) return 1;
  const uint32_t fragmentable = ipv6Length - kIpv6Header;
  const uint32_t room = linkMtu - kIpv6Header - kIpv6FragmentHeader;
  const uint32_t step = room - room % 8;
  return 1 + (fragmentable - room + step - 1) / step;
}

static_assert(OuterIpLength(828, Protection::kNone) == 886);
static_assert(OuterIpLength(828, Protection::kEsp) == 920);
static_assert(LargestInnerIpLength(1500, Protection::kEsp) == 1408);
// The kernel's route MTU through xfrm leaves room for exactly the largest
// inner packet that fits.
static_assert(XfrmStateMtu(1500, Protection::kEsp) - kGeneveTunnelHeadroom == 1408);
static_assert(XfrmStateMtu(9001, Protection::kEspInUdp) - kGeneveTunnelHeadroom == 8900);
static_assert(LargestInnerIpLength(9001, Protection::kEspInUdp) == 8900);
static_assert(XfrmStateMtu(1500, Protection::kEspInUdp) - kGeneveTunnelHeadroom ==
              LargestInnerIpLength(1500, Protection::kEspInUdp));

// IPv6: 1400 + 78 = 1478; ESP payload 1478 - 40 = 1438, (1438 + 2) % 4 == 0 so
// no padding: 40 + 1438 + 34 = 1512.
static_assert(OuterIpLength(1400, Protection::kNone, UnderlayFamily::kIpv6) == 1478);
static_assert(OuterIpLength(1400, Protection::kEsp, UnderlayFamily::kIpv6) == 1512);
static_assert(OuterIpLength(1400, Protection::kEspInUdp, UnderlayFamily::kIpv6) == 1520);
// 828 + 78 = 906; payload 866, (866 + 2) % 4 == 0: 906 + 34 = 940.
static_assert(OuterIpLength(828, Protection::kEsp, UnderlayFamily::kIpv6) == 940);
// 40 + u + pad(u) + 34 <= 1500 with u + pad(u) == 2 (mod 4): u = 1426, inner
// 1426 - 38 = 1388 (1408 on IPv4, 20 bytes of header less).
static_assert(LargestInnerIpLength(1500, Protection::kEsp, UnderlayFamily::kIpv6) == 1388);
static_assert(LargestInnerIpLength(1500, Protection::kNone, UnderlayFamily::kIpv6) == 1422);
// Tunnel mode over IPv4, 1000-byte inner IPv4 packet: 20 + 8 + 8 + 1000 +
// pad 2 (1002 + 2 = 1004) + 2 + 16 = 1056; ESP in UDP 4500 adds 8.
static_assert(EspPacketLength(1000, 20, Protection::kEsp, EspMode::kTunnel,
                              UnderlayFamily::kIpv4) == 1056);
static_assert(EspPacketLength(1000, 20, Protection::kEspInUdp, EspMode::kTunnel,
                              UnderlayFamily::kIpv4) == 1064);
// The same packet in transport mode: 20 + 8 + 8 + 980 + pad 2 + 2 + 16 = 1036.
static_assert(EspPacketLength(1000, 20, Protection::kEsp, EspMode::kTransport,
                              UnderlayFamily::kIpv4) == 1036);
// The kernel's route MTU through a state is the largest packet that fits,
// in both modes, both families, with and without UDP.
static_assert(XfrmStateMtu(1500, Protection::kEsp, EspMode::kTunnel) == 1446);
static_assert(XfrmStateMtu(1500, Protection::kEsp, EspMode::kTunnel) ==
              LargestProtectedIpLength(1500, 20, Protection::kEsp, EspMode::kTunnel,
                                       UnderlayFamily::kIpv4));
static_assert(XfrmStateMtu(1500, Protection::kEspInUdp, EspMode::kTunnel, UnderlayFamily::kIpv6) ==
              LargestProtectedIpLength(1500, 40, Protection::kEspInUdp, EspMode::kTunnel,
                                       UnderlayFamily::kIpv6));
static_assert(XfrmStateMtu(1500, Protection::kEsp, EspMode::kTransport, UnderlayFamily::kIpv6) ==
              LargestProtectedIpLength(1500, 40, Protection::kEsp, EspMode::kTransport,
                                       UnderlayFamily::kIpv6));
static_assert(Ipv6FragmentCount(1500, 1500) == 1);
static_assert(Ipv6FragmentCount(1501, 1500) == 2);
static_assert(Ipv6FragmentCount(1512, 1500) == 2);
static_assert(Ipv6FragmentCount(2940, 1500) == 2);
static_assert(Ipv6FragmentCount(2941, 1500) == 3);

}  // namespace ipsecsim::sim::mtu
