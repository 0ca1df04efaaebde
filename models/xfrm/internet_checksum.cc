#include "internet_checksum.h"

namespace ipsecsim::xfrm {

namespace {
uint32_t AddWords(uint32_t sum, const uint8_t* data, size_t len) {
  for (size_t i = 0; i + 1 < len; i += 2) sum += uint32_t(data[i]) << 8 | data[i + 1];
  if (len % 2) sum += uint32_t(data[len - 1]) << 8;
  return sum;
}
}  // namespace

namespace {
uint16_t UpperLayerChecksum(const uint8_t* src, const uint8_t* dst, size_t addressLen,
                            uint8_t protocol, const uint8_t* data, size_t len) {
  uint32_t sum = AddWords(0, src, addressLen);
  sum = AddWords(sum, dst, addressLen);
  sum += uint32_t(len >> 16) + uint32_t(len & 0xFFFF) + protocol;
  sum = AddWords(sum, data, len);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return uint16_t(~sum);
}
}  // namespace

uint16_t Ipv6UpperLayerChecksum(const uint8_t src[16], const uint8_t dst[16], uint8_t nextHeader,
                                const uint8_t* data, size_t len) {
  return UpperLayerChecksum(src, dst, 16, nextHeader, data, len);
}

uint16_t Ipv4UpperLayerChecksum(const uint8_t src[4], const uint8_t dst[4], uint8_t protocol,
                                const uint8_t* data, size_t len) {
  return UpperLayerChecksum(src, dst, 4, protocol, data, len);
}

}  // namespace ipsecsim::xfrm
