// ike::IpAddress to and from ns-3's address classes: the one place where the
// daemon's family-specific socket addresses are built and read.
#pragma once

#include <cstdint>

#include "ip_address.h"
#include "ns3/address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"

namespace ipsecsim::ike {

IpAddress IpAddressOf(ns3::Ipv4Address address);
IpAddress IpAddressOf(const ns3::Ipv6Address& address);
// An Ipv4Address or Ipv6Address, or the address of an InetSocketAddress or
// Inet6SocketAddress; anything else gives 0.0.0.0.
IpAddress IpAddressOf(const ns3::Address& address);
// The port of an InetSocketAddress or Inet6SocketAddress, else 0.
uint16_t PortOf(const ns3::Address& socketAddress);

// An Ipv4Address or Ipv6Address, as xfrm's selectors and states take it.
ns3::Address Ns3AddressOf(const IpAddress& address);
// An InetSocketAddress or Inet6SocketAddress.
ns3::Address SocketAddressOf(const IpAddress& address, uint16_t port);

}  // namespace ipsecsim::ike
