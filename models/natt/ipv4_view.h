// A read-only view of an IPv4 packet's header and, for the first fragment of
// UDP and TCP, its ports, parsed from raw bytes. Everything in models/natt
// decides from these bytes, the way a middlebox does, never from ns-3 header
// objects that a packet may or may not carry.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ns3/ipv4-address.h"

namespace ipsecsim::natt {

constexpr uint8_t kProtoIcmp = 1;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoEsp = 50;

constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint16_t kEtherTypeArp = 0x0806;

enum class ParseStatus {
  kIpv4,       // a well-formed IPv4 packet
  kNotIpv4,    // a well-formed frame carrying something else (ARP, IPv6)
  kMalformed,  // truncated or inconsistent: a middlebox drops it
};

struct Ipv4View {
  ns3::Ipv4Address source;
  ns3::Ipv4Address destination;
  uint8_t protocol = 0;
  uint16_t totalLength = 0;  // bytes of the IPv4 packet, header included
  uint16_t headerLength = 0;
  bool isFragment = false;       // more-fragments set or a non-zero offset
  bool isLaterFragment = false;  // non-zero offset: no L4 header in it
  bool hasPorts = false;         // UDP or TCP, first fragment
  uint16_t sourcePort = 0;
  uint16_t destinationPort = 0;
};

// Parses the IPv4 packet at `ip`; `size` may exceed the packet (link padding,
// trailer). UDP needs its whole 8-byte header and TCP its 20-byte header in the
// first fragment, or the packet is malformed.
ParseStatus ParseIpv4(const uint8_t* ip, size_t size, Ipv4View* view);

// How the link layer frames what an ErrorModel sees on a device's receive path.
enum class FrameFormat {
  kEthernet,  // ns-3 CSMA: Ethernet II (or 802.3 + LLC/SNAP), then a 4-byte FCS
  kPpp,       // ns-3 point-to-point: a 2-byte PPP protocol field
};

struct FrameLocation {
  ParseStatus status;
  size_t ipOffset = 0;  // where the IPv4 header starts, when status is kIpv4
};

// Finds the IPv4 packet in a whole link-layer frame (does not parse it).
FrameLocation LocateIpv4(const uint8_t* frame, size_t size, FrameFormat format);

}  // namespace ipsecsim::natt
