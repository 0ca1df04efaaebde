// The Internet checksum (RFC 1071) of an upper-layer packet over IPv6, with
// the pseudo-header of RFC 8200 §8.1: source and destination addresses,
// upper-layer length and next header. UDP and ICMPv6 over IPv6 must carry it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ipsecsim::xfrm {

// The checksum of data[0, len) (its own checksum field zeroed) sent from src
// to dst (16-byte addresses) as next header `nextHeader`.
uint16_t Ipv6UpperLayerChecksum(const uint8_t src[16], const uint8_t dst[16], uint8_t nextHeader,
                                const uint8_t* data, size_t len);
// The same over IPv4 (RFC 768, RFC 9293 §3.1 pseudo-header).
uint16_t Ipv4UpperLayerChecksum(const uint8_t src[4], const uint8_t dst[4], uint8_t protocol,
                                const uint8_t* data, size_t len);

}  // namespace ipsecsim::xfrm
