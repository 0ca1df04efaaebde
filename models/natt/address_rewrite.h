// Rewrites an IPv4 packet's source or destination address and port in place,
// adjusting the IPv4 header checksum and the UDP/TCP checksum incrementally
// (RFC 1624), so that a receiver that verifies checksums still accepts it. A
// zero checksum (ns-3 with checksums off, or UDP without one) stays zero.
#pragma once

#include <cstdint>

#include "ipv4_view.h"

namespace ipsecsim::natt {

// `packet` is the whole IPv4 packet described by `view`. `port` replaces the
// UDP/TCP port, or an ICMP echo's identifier; a packet without either (a
// later fragment, another ICMP message) has only its address rewritten.
void RewriteSource(uint8_t* packet, const Ipv4View& view, ns3::Ipv4Address address, uint16_t port);
void RewriteDestination(uint8_t* packet, const Ipv4View& view, ns3::Ipv4Address address,
                        uint16_t port);

// RFC 1624 eqn. 3: the checksum after one 16-bit word changed.
uint16_t AdjustChecksum(uint16_t checksum, uint16_t oldWord, uint16_t newWord);

}  // namespace ipsecsim::natt
