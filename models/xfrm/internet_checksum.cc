#include "internet_checksum.h"

namespace ipsecsim::xfrm {

namespace {
uint32_t AddWords(uint32_t sum, const uint8_t* data, size_t len) {
  for (size_t i = 0; i + 1 < len; i += 2) sum += uint32_t(data[i]) << 8 | data[i + 1];
  if (len % 2) sum += uint32_t(data[len - 1]) << 8;
  return sum;
}
}  // namespace

uint16_t Ipv6UpperLayerChecksum(const uint8_t src[16], const uint8_t dst[16], uint8_t nextHeader,
                                const uint8_t* data, size_t len) {
  uint32_t sum = AddWords(0, src, 16);
  sum = AddWords(sum, dst, 16);
  sum += uint32_t(len >> 16) + uint32_t(len & 0xFFFF) + nextHeader;
  sum = AddWords(sum, data, len);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return uint16_t(~sum);
}

}  // namespace ipsecsim::xfrm
