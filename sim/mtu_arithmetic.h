// The byte arithmetic of one pod packet on an IPv4 underlay (mechanics §1 and
// §3): inner IP packet -> Geneve (inner Ethernet 14, OVN option 8, Geneve 8,
// UDP 8, outer IPv4 20) -> transport-mode ESP with AES-GCM-16 (SPI+seq 8,
// IV 8, pad to (payload + 2) % 4 == 0, pad length 1, next header 1, ICV 16)
// -> optionally UDP 4500 (RFC 3948). Used to state budgets and thresholds;
// verdicts and counts still come from the wire.
#pragma once

#include <cstdint>

namespace ipsecsim::sim::mtu {

constexpr uint32_t kIpv4Header = 20;
constexpr uint32_t kUdpHeader = 8;
constexpr uint32_t kGeneveOverheadIpv4 = 20 + 8 + 8 + 8 + 14;  // 58
constexpr uint32_t kGeneveBudget = 100;  // what OVN-Kubernetes subtracts from the host MTU
constexpr uint32_t kIpsecBudget = 46;    // what the documentation says to subtract for ESP
constexpr uint32_t kEspFixed = 8 + 8 + 1 + 1 + 16;  // 34: everything but the padding
constexpr uint32_t kNattHeader = kUdpHeader;

enum class Protection { kNone, kEsp, kEspInUdp };

constexpr uint32_t EspPadding(uint32_t payload) { return (4 - (payload + 2) % 4) % 4; }

// Bytes ESP (and UDP 4500) add to a transport-mode payload of this size.
constexpr uint32_t ProtectionOverhead(uint32_t payload, Protection p) {
  if (p == Protection::kNone) return 0;
  return kEspFixed + EspPadding(payload) + (p == Protection::kEspInUdp ? kNattHeader : 0);
}

// The IP total length on the underlay of a pod packet of innerIpLength bytes
// carried through Geneve, before any underlay fragmentation.
constexpr uint32_t OuterIpLength(uint32_t innerIpLength, Protection p) {
  const uint32_t udp6081 = innerIpLength + kGeneveOverheadIpv4 - kIpv4Header;
  return kIpv4Header + udp6081 + ProtectionOverhead(udp6081, p);
}

// The largest pod packet whose tunnel packet fits in one underlay packet.
constexpr uint32_t LargestInnerIpLength(uint32_t underlayMtu, Protection p) {
  uint32_t inner = underlayMtu - kGeneveOverheadIpv4;
  while (inner > 0 && OuterIpLength(inner, p) > underlayMtu) --inner;
  return inner;
}

static_assert(OuterIpLength(828, Protection::kNone) == 886);
static_assert(OuterIpLength(828, Protection::kEsp) == 920);
static_assert(LargestInnerIpLength(1500, Protection::kEsp) == 1408);

}  // namespace ipsecsim::sim::mtu
