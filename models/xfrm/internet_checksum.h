// The Internet checksum (RFC 1071): the one's complement of the one's
// complement sum of 16-bit big-endian words, and the upper-layer checksums
// built on it with the pseudo-headers of IPv4 (RFC 768, RFC 9293 §3.1) and
// IPv6 (RFC 8200 §8.1). The sum runs over 64-bit words in the host's byte
// order with end-around carry and folds at the end (RFC 1071 §2 (B), (C)),
// as the kernel's csum_partial does, instead of adding one byte at a time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ipsecsim::xfrm {

// The one's complement sum of data[0, len) as a big-endian 16-bit value (an
// odd last byte is padded with zero), added to `initial` (another such sum).
uint16_t OnesComplementSum(const uint8_t* data, size_t len, uint16_t initial = 0);

// The checksum of data[0, len), its own checksum field zeroed: what an IPv4
// header or an ICMP message carries.
inline uint16_t InternetChecksum(const uint8_t* data, size_t len) {
  return uint16_t(~OnesComplementSum(data, len));
}

// The checksum of data[0, len) (its own checksum field zeroed) sent from src
// to dst (16-byte addresses) as next header `nextHeader`.
uint16_t Ipv6UpperLayerChecksum(const uint8_t src[16], const uint8_t dst[16], uint8_t nextHeader,
                                const uint8_t* data, size_t len);
// The same over IPv4.
uint16_t Ipv4UpperLayerChecksum(const uint8_t src[4], const uint8_t dst[4], uint8_t protocol,
                                const uint8_t* data, size_t len);

}  // namespace ipsecsim::xfrm
