// ICMP "fragmentation needed" (type 3, code 4) as Linux builds it, quoting
// as much of the original packet as fits in 576 bytes (548 after the new IP
// and ICMP headers), with correct IP and ICMP checksums: icmp_send
// (net/ipv4/icmp.c) for a host's own packet, iptunnel_pmtud_build_icmp
// (net/ipv4/ip_tunnel_core.c) for the tunnel's answer to a bridged one.
#pragma once

#include <ns3/ipv4-address.h>
#include <ns3/packet.h>

#include <cstdint>

namespace ipsecsim::sim {

struct FragNeededOrigin {
  ns3::Ipv4Address source;       // the ICMP's IP source
  ns3::Ipv4Address destination;  // the original packet's sender
  uint8_t ttl = 64;
  uint16_t identification = 0;
  bool dontFragment = false;
};

// The whole IPv4 packet (header included) answering `original` (an IPv4
// packet, header included) with next-hop MTU `mtu`.
ns3::Ptr<ns3::Packet> BuildFragNeeded(ns3::Ptr<const ns3::Packet> original, uint16_t mtu,
                                      const FragNeededOrigin& origin);

// The Geneve driver's answer: from the original destination back to its
// source, identification 0, DF, TTL 1 (iptunnel_pmtud_build_icmp).
ns3::Ptr<ns3::Packet> BuildTunnelFragNeeded(ns3::Ptr<const ns3::Packet> original, uint16_t mtu);

}  // namespace ipsecsim::sim
