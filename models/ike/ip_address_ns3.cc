#include "ip_address_ns3.h"

#include <algorithm>

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"

namespace ipsecsim::ike {

IpAddress IpAddressOf(ns3::Ipv4Address address) { return IpAddress::V4(address.Get()); }

IpAddress IpAddressOf(const ns3::Ipv6Address& address) {
  std::array<uint8_t, 16> bytes;
  address.GetBytes(bytes.data());
  return IpAddress::V6(bytes);
}

IpAddress IpAddressOf(const ns3::Address& address) {
  if (ns3::Ipv4Address::IsMatchingType(address))
    return IpAddressOf(ns3::Ipv4Address::ConvertFrom(address));
  if (ns3::Ipv6Address::IsMatchingType(address))
    return IpAddressOf(ns3::Ipv6Address::ConvertFrom(address));
  if (ns3::InetSocketAddress::IsMatchingType(address))
    return IpAddressOf(ns3::InetSocketAddress::ConvertFrom(address).GetIpv4());
  if (ns3::Inet6SocketAddress::IsMatchingType(address))
    return IpAddressOf(ns3::Inet6SocketAddress::ConvertFrom(address).GetIpv6());
  return IpAddress();
}

uint16_t PortOf(const ns3::Address& socketAddress) {
  if (ns3::InetSocketAddress::IsMatchingType(socketAddress))
    return ns3::InetSocketAddress::ConvertFrom(socketAddress).GetPort();
  if (ns3::Inet6SocketAddress::IsMatchingType(socketAddress))
    return ns3::Inet6SocketAddress::ConvertFrom(socketAddress).GetPort();
  return 0;
}

namespace {
ns3::Ipv6Address Ipv6Of(const IpAddress& address) {
  uint8_t bytes[16];  // ns-3 takes a non-const array
  std::copy(address.Data(), address.Data() + 16, bytes);
  return ns3::Ipv6Address(bytes);
}
}  // namespace

ns3::Address Ns3AddressOf(const IpAddress& address) {
  if (address.IsV6()) return Ipv6Of(address);
  return ns3::Ipv4Address(address.V4Value());
}

ns3::Address SocketAddressOf(const IpAddress& address, uint16_t port) {
  if (address.IsV6()) return ns3::Inet6SocketAddress(Ipv6Of(address), port);
  return ns3::InetSocketAddress(ns3::Ipv4Address(address.V4Value()), port);
}

}  // namespace ipsecsim::ike
