#include "udp_encap.h"

#include "esp_codec.h"
#include "internet_checksum.h"

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

void WriteUdpChecksumIpv6(uint8_t* udp, size_t len, const uint8_t src[16], const uint8_t dst[16]) {
  udp[6] = udp[7] = 0;
  uint16_t checksum = Ipv6UpperLayerChecksum(src, dst, 17, udp, len);
  if (checksum == 0) checksum = 0xFFFF;  // RFC 768: a computed zero is sent as all ones
  PutU16(udp + 6, checksum);
}

UdpEncapKind ClassifyUdpEncapPayload(const uint8_t* payload, size_t len) {
  if (len == 1 && payload[0] == 0xff) return UdpEncapKind::kKeepalive;
  if (len >= 4 && GetU32(payload) == 0) return UdpEncapKind::kIke;
  if (len >= esp::kHeaderLen) return UdpEncapKind::kEsp;
  return UdpEncapKind::kMalformed;
}

}  // namespace ipsecsim::xfrm
