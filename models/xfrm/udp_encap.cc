#include "udp_encap.h"

#include "esp_codec.h"

namespace ipsecsim::xfrm {

Bytes EncapsulateEsp(uint16_t srcPort, uint16_t dstPort, const Bytes& esp) {
  Bytes out(kUdpHeaderLen + esp.size());
  WriteUdpEncapHeader(out.data(), srcPort, dstPort, esp.size());
  std::copy(esp.begin(), esp.end(), out.begin() + kUdpHeaderLen);
  return out;
}

void WriteUdpEncapHeader(uint8_t* out, uint16_t srcPort, uint16_t dstPort, size_t espLen) {
  const size_t udpLength = kUdpHeaderLen + espLen;
  out[0] = uint8_t(srcPort >> 8);
  out[1] = uint8_t(srcPort);
  out[2] = uint8_t(dstPort >> 8);
  out[3] = uint8_t(dstPort);
  out[4] = uint8_t(udpLength >> 8);
  out[5] = uint8_t(udpLength);
  out[6] = 0;  // checksum: zero, allowed for ESP in UDP over IPv4
  out[7] = 0;
}

namespace {
uint32_t SumWords(const uint8_t* data, size_t len, uint32_t sum) {
  for (size_t i = 0; i + 1 < len; i += 2) sum += uint32_t(data[i]) << 8 | data[i + 1];
  if (len % 2) sum += uint32_t(data[len - 1]) << 8;
  return sum;
}
}  // namespace

void WriteUdpChecksumIpv6(uint8_t* udp, size_t len, const uint8_t src[16], const uint8_t dst[16]) {
  udp[6] = udp[7] = 0;
  uint32_t sum = SumWords(src, 16, 0);
  sum = SumWords(dst, 16, sum);
  sum += uint32_t(len >> 16) + uint32_t(len & 0xFFFF) + 17;  // upper-layer length, next header
  sum = SumWords(udp, len, sum);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  uint16_t checksum = uint16_t(~sum);
  if (checksum == 0) checksum = 0xFFFF;  // RFC 768: a computed zero is sent as all ones
  udp[6] = uint8_t(checksum >> 8);
  udp[7] = uint8_t(checksum);
}

UdpEncapKind ClassifyUdpEncapPayload(const uint8_t* payload, size_t len) {
  if (len == 1 && payload[0] == 0xff) return UdpEncapKind::kKeepalive;
  if (len >= 4 && GetU32(payload) == 0) return UdpEncapKind::kIke;
  if (len >= esp::kHeaderLen) return UdpEncapKind::kEsp;
  return UdpEncapKind::kMalformed;
}

}  // namespace ipsecsim::xfrm
