#include "internet_checksum.h"

#include <cstring>

namespace ipsecsim::xfrm {

namespace {

// a + b in one's complement arithmetic on 64 bits: the carry out wraps
// around (add, then add-with-carry on x86-64).
uint64_t AddWithCarry(uint64_t a, uint64_t b) {
  uint64_t sum;
  const bool carry = __builtin_add_overflow(a, b, &sum);
  return sum + carry;
}

// The one's complement sum of the 16-bit words of data in host byte order,
// on 64 bits (RFC 1071 §2 (C): wider words fold to the same sum).
uint64_t HostOrderSum(const uint8_t* data, size_t len) {
  uint64_t sum = 0;
  for (; len >= 32; data += 32, len -= 32) {
    uint64_t w[4];
    std::memcpy(w, data, sizeof w);
    sum = AddWithCarry(sum, w[0]);
    sum = AddWithCarry(sum, w[1]);
    sum = AddWithCarry(sum, w[2]);
    sum = AddWithCarry(sum, w[3]);
  }
  for (; len >= 8; data += 8, len -= 8) {
    uint64_t w;
    std::memcpy(&w, data, sizeof w);
    sum = AddWithCarry(sum, w);
  }
  // At most 7 bytes are left: their words cannot carry out of 64 bits twice.
  uint64_t tail = 0;
  if (len >= 4) {
    uint32_t w;
    std::memcpy(&w, data, sizeof w);
    tail += w;
    data += 4;
    len -= 4;
  }
  if (len >= 2) {
    uint16_t w;
    std::memcpy(&w, data, sizeof w);
    tail += w;
    data += 2;
    len -= 2;
  }
  if (len == 1) {
    const uint8_t last[2] = {data[0], 0};
    uint16_t w;
    std::memcpy(&w, last, sizeof w);
    tail += w;
  }
  return AddWithCarry(sum, tail);
}

uint16_t Fold(uint64_t sum) {
  sum = (sum & 0xFFFFFFFF) + (sum >> 32);
  sum = (sum & 0xFFFFFFFF) + (sum >> 32);
  sum = (sum & 0xFFFF) + (sum >> 16);
  sum = (sum & 0xFFFF) + (sum >> 16);
  return uint16_t(sum);
}

uint16_t ToBigEndian(uint16_t hostOrderSum) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return uint16_t(hostOrderSum << 8 | hostOrderSum >> 8);
#else
  return hostOrderSum;
#endif
}

uint16_t Add(uint16_t x, uint32_t y) { return Fold(uint64_t(x) + y); }

uint16_t UpperLayerChecksum(const uint8_t* src, const uint8_t* dst, size_t addressLen,
                            uint8_t protocol, const uint8_t* data, size_t len) {
  uint16_t sum = OnesComplementSum(src, addressLen);
  sum = OnesComplementSum(dst, addressLen, sum);
  sum = Add(sum, uint32_t(len >> 16) + uint32_t(len & 0xFFFF) + protocol);
  return uint16_t(~OnesComplementSum(data, len, sum));
}

}  // namespace

uint16_t OnesComplementSum(const uint8_t* data, size_t len, uint16_t initial) {
  return Add(ToBigEndian(Fold(HostOrderSum(data, len))), initial);
}

uint16_t Ipv6UpperLayerChecksum(const uint8_t src[16], const uint8_t dst[16], uint8_t nextHeader,
                                const uint8_t* data, size_t len) {
  return UpperLayerChecksum(src, dst, 16, nextHeader, data, len);
}

uint16_t Ipv4UpperLayerChecksum(const uint8_t src[4], const uint8_t dst[4], uint8_t protocol,
                                const uint8_t* data, size_t len) {
  return UpperLayerChecksum(src, dst, 4, protocol, data, len);
}

}  // namespace ipsecsim::xfrm
