// Address prefixes for SPD selectors, IPv4 or IPv6. Like a Linux selector, a
// prefix has one family and never matches an address of the other.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ns3/address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"

namespace ipsecsim::xfrm {

// The IPv4 address in address, or nullopt when it holds another kind.
std::optional<ns3::Ipv4Address> DecodeIpv4(const ns3::Address& address);

class IpPrefix {
 public:
  // 0.0.0.0/0: matches every IPv4 address.
  IpPrefix() : IpPrefix(ns3::Ipv4Address(uint32_t(0)), 0) {}
  IpPrefix(ns3::Ipv4Address address, uint8_t length);
  IpPrefix(ns3::Ipv6Address address, uint8_t length);
  static IpPrefix Any() { return IpPrefix(); }
  static IpPrefix AnyIpv6() { return IpPrefix(ns3::Ipv6Address::GetAny(), 0); }
  static IpPrefix Host(ns3::Ipv4Address address) { return IpPrefix(address, 32); }
  static IpPrefix Host(ns3::Ipv6Address address) { return IpPrefix(address, 128); }
  // address holds an Ipv4Address or an Ipv6Address.
  static IpPrefix Host(const ns3::Address& address);
  // Parses IPv4 "10.0.0.0/24" or a bare address (host prefix); nullopt when malformed.
  static std::optional<IpPrefix> Parse(std::string_view text);

  bool IsIpv6() const { return ipv6_; }
  ns3::Address Address() const;
  uint8_t Length() const { return length_; }

  bool Contains(ns3::Ipv4Address address) const {
    return !(address < first_) && !(last_ < address);  // an IPv6 prefix has an empty range
  }
  bool Contains(const ns3::Ipv6Address& address) const;
  bool Contains(const ns3::Address& address) const;
  // True when every address of other is also in this prefix.
  bool Covers(const IpPrefix& other) const;
  bool Overlaps(const IpPrefix& other) const { return Covers(other) || other.Covers(*this); }

  std::string ToString() const;
  bool operator==(const IpPrefix& o) const {
    return ipv6_ == o.ipv6_ && network_ == o.network_ && network6_ == o.network6_ &&
           length_ == o.length_;
  }

 private:
  uint32_t network_ = 0;
  uint32_t mask_ = 0;
  uint8_t length_ = 0;
  bool ipv6_ = false;
  std::array<uint8_t, 16> network6_{};  // IPv6 prefixes: the masked address
  // The prefix as an address range, for Contains on the per-packet path:
  // Ipv4Address's comparisons are inline, Ipv4Address::Get() is a library call
  // with a logging check in Debian's ns-3 build.
  ns3::Ipv4Address first_;
  ns3::Ipv4Address last_;
};

}  // namespace ipsecsim::xfrm
