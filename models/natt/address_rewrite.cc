#include "address_rewrite.h"

#include "bytes.h"

namespace ipsecsim::natt {
namespace {

constexpr size_t kIpChecksum = 10;
constexpr size_t kIpSource = 12;
constexpr size_t kIpDestination = 16;
constexpr uint8_t kIcmpEchoReply = 0, kIcmpEchoRequest = 8;
constexpr size_t kIcmpEchoIdentifier = 4;

// The checksums one 16-bit word of the packet takes part in.
struct Checksums {
  uint8_t* ip = nullptr;  // null: not covered (the ports are not in the IPv4 header)
  uint8_t* l4 = nullptr;  // null: not present
  bool udp = false;
};

void ReplaceWord(uint8_t* word, uint16_t value, const Checksums& sums) {
  const uint16_t old = GetU16(word);
  if (old == value) return;
  if (sums.ip && GetU16(sums.ip) != 0) PutU16(sums.ip, AdjustChecksum(GetU16(sums.ip), old, value));
  if (sums.l4 && GetU16(sums.l4) != 0) {
    uint16_t adjusted = AdjustChecksum(GetU16(sums.l4), old, value);
    if (sums.udp && adjusted == 0) adjusted = 0xffff;  // 0 means "no checksum" in UDP
    PutU16(sums.l4, adjusted);
  }
  PutU16(word, value);
}

void Rewrite(uint8_t* packet, const Ipv4View& view, size_t addressOffset, size_t portOffset,
             ns3::Ipv4Address address, uint16_t port) {
  uint8_t* l4 = packet + view.headerLength;
  const bool withL4 = !view.isLaterFragment;
  const size_t l4Length = size_t(view.totalLength) - view.headerLength;
  // ICMP echo: conntrack maps the identifier like a port; ICMP has no
  // pseudo-header, so the address stays out of its checksum.
  const bool echo = withL4 && view.protocol == kProtoIcmp && l4Length >= 8 &&
                    (l4[0] == kIcmpEchoReply || l4[0] == kIcmpEchoRequest);
  Checksums sums;
  sums.udp = view.protocol == kProtoUdp;
  if (withL4 && view.hasPorts) sums.l4 = sums.udp ? l4 + 6 : l4 + 16;
  sums.ip = packet + kIpChecksum;
  // The address is in the IPv4 header and in the UDP/TCP pseudo-header.
  const uint32_t a = address.Get();
  ReplaceWord(packet + addressOffset, uint16_t(a >> 16), sums);
  ReplaceWord(packet + addressOffset + 2, uint16_t(a), sums);
  sums.ip = nullptr;
  if (withL4 && view.hasPorts) {
    ReplaceWord(l4 + portOffset, port, sums);
  } else if (echo) {
    sums.l4 = l4 + 2;
    ReplaceWord(l4 + kIcmpEchoIdentifier, port, sums);
  }
}

}  // namespace

uint16_t AdjustChecksum(uint16_t checksum, uint16_t oldWord, uint16_t newWord) {
  uint32_t sum = uint32_t(uint16_t(~checksum)) + uint16_t(~oldWord) + newWord;
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

void RewriteSource(uint8_t* packet, const Ipv4View& view, ns3::Ipv4Address address, uint16_t port) {
  Rewrite(packet, view, kIpSource, 0, address, port);
}

void RewriteDestination(uint8_t* packet, const Ipv4View& view, ns3::Ipv4Address address,
                        uint16_t port) {
  Rewrite(packet, view, kIpDestination, 2, address, port);
}

}  // namespace ipsecsim::natt
