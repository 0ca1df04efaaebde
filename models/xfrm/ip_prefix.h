// Address prefixes for SPD selectors. IPv4 only for now; the address is kept
// as ns3::Address so that IPv6 can be added without changing the selector API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ns3/address.h"
#include "ns3/ipv4-address.h"

namespace ipsecsim::xfrm {

// The IPv4 address in address, or nullopt when it holds another kind.
std::optional<ns3::Ipv4Address> DecodeIpv4(const ns3::Address& address);

class IpPrefix {
 public:
  // 0.0.0.0/0: matches every IPv4 address.
  IpPrefix() : IpPrefix(ns3::Ipv4Address(uint32_t(0)), 0) {}
  IpPrefix(ns3::Ipv4Address address, uint8_t length);
  static IpPrefix Any() { return IpPrefix(); }
  static IpPrefix Host(ns3::Ipv4Address address) { return IpPrefix(address, 32); }
  // Parses "10.0.0.0/24" or a bare address (host prefix); nullopt when malformed.
  static std::optional<IpPrefix> Parse(std::string_view text);

  ns3::Address Address() const { return ns3::Ipv4Address(network_); }
  uint8_t Length() const { return length_; }

  bool Contains(ns3::Ipv4Address address) const {
    return !(address < first_) && !(last_ < address);
  }
  bool Contains(const ns3::Address& address) const;
  // True when every address of other is also in this prefix.
  bool Covers(const IpPrefix& other) const {
    return length_ <= other.length_ && (other.network_ & mask_) == network_;
  }
  bool Overlaps(const IpPrefix& other) const { return Covers(other) || other.Covers(*this); }

  std::string ToString() const;
  bool operator==(const IpPrefix& o) const {
    return network_ == o.network_ && length_ == o.length_;
  }

 private:
  uint32_t network_ = 0;
  uint32_t mask_ = 0;
  uint8_t length_ = 0;
  // The prefix as an address range, for Contains on the per-packet path:
  // Ipv4Address's comparisons are inline, Ipv4Address::Get() is a library call
  // with a logging check in Debian's ns-3 build.
  ns3::Ipv4Address first_;
  ns3::Ipv4Address last_;
};

}  // namespace ipsecsim::xfrm
