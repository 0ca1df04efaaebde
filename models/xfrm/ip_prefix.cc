#include "ip_prefix.h"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace ipsecsim::xfrm {

namespace {
uint32_t MaskOf(uint8_t length) { return length == 0 ? 0 : ~uint32_t(0) << (32 - length); }

// The first `length` bits of address, the rest zero.
std::array<uint8_t, 16> MaskedIpv6(const ns3::Ipv6Address& address, uint8_t length) {
  std::array<uint8_t, 16> bytes{};
  address.GetBytes(bytes.data());
  for (size_t i = 0; i < bytes.size(); ++i) {
    const int keep = std::clamp(int(length) - int(i) * 8, 0, 8);
    bytes[i] &= uint8_t(0xFF00 >> keep);
  }
  return bytes;
}

ns3::Ipv6Address Ipv6Of(std::array<uint8_t, 16> bytes) { return ns3::Ipv6Address(bytes.data()); }
}  // namespace

std::optional<ns3::Ipv4Address> DecodeIpv4(const ns3::Address& address) {
  if (!ns3::Ipv4Address::IsMatchingType(address)) return std::nullopt;
  return ns3::Ipv4Address::ConvertFrom(address);
}

IpPrefix::IpPrefix(ns3::Ipv4Address address, uint8_t length)
    : mask_(MaskOf(length > 32 ? 32 : length)), length_(length > 32 ? 32 : length) {
  network_ = address.Get() & mask_;
  first_ = ns3::Ipv4Address(network_);
  last_ = ns3::Ipv4Address(network_ | ~mask_);
}

IpPrefix::IpPrefix(ns3::Ipv6Address address, uint8_t length)
    : length_(length > 128 ? 128 : length), ipv6_(true) {
  network6_ = MaskedIpv6(address, length_);
  // An empty IPv4 range, so that the inline IPv4 Contains never matches.
  first_ = ns3::Ipv4Address(0xFFFFFFFFu);
  last_ = ns3::Ipv4Address(uint32_t(0));
}

IpPrefix IpPrefix::Host(const ns3::Address& address) {
  if (ns3::Ipv6Address::IsMatchingType(address))
    return Host(ns3::Ipv6Address::ConvertFrom(address));
  return Host(ns3::Ipv4Address::ConvertFrom(address));
}

ns3::Address IpPrefix::Address() const {
  if (ipv6_) return Ipv6Of(network6_);
  return ns3::Ipv4Address(network_);
}

bool IpPrefix::Contains(const ns3::Ipv6Address& address) const {
  return ipv6_ && MaskedIpv6(address, length_) == network6_;
}

bool IpPrefix::Covers(const IpPrefix& other) const {
  if (ipv6_ != other.ipv6_ || length_ > other.length_) return false;
  if (ipv6_) return MaskedIpv6(Ipv6Of(other.network6_), length_) == network6_;
  return (other.network_ & mask_) == network_;
}

std::optional<IpPrefix> IpPrefix::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  const std::string_view addressPart = text.substr(0, slash);
  unsigned length = 32;
  if (slash != std::string_view::npos) {
    const std::string_view lengthPart = text.substr(slash + 1);
    auto [end, ec] =
        std::from_chars(lengthPart.data(), lengthPart.data() + lengthPart.size(), length);
    if (ec != std::errc() || end != lengthPart.data() + lengthPart.size() || length > 32) {
      return std::nullopt;
    }
  }
  // Strict dotted quad: Ipv4Address's own parser accepts garbage silently.
  uint32_t value = 0;
  const char* p = addressPart.data();
  const char* end = p + addressPart.size();
  for (int octet = 0; octet < 4; ++octet) {
    unsigned v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || v > 255) return std::nullopt;
    value = value << 8 | v;
    p = next;
    if (octet < 3) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
  }
  if (p != end) return std::nullopt;
  return IpPrefix(ns3::Ipv4Address(value), uint8_t(length));
}

bool IpPrefix::Contains(const ns3::Address& address) const {
  if (ns3::Ipv6Address::IsMatchingType(address)) {
    return Contains(ns3::Ipv6Address::ConvertFrom(address));
  }
  const std::optional<ns3::Ipv4Address> ipv4 = DecodeIpv4(address);
  return ipv4 && Contains(*ipv4);
}

std::string IpPrefix::ToString() const {
  std::ostringstream os;
  if (ipv6_) {
    os << Ipv6Of(network6_);
  } else {
    os << ns3::Ipv4Address(network_);
  }
  os << "/" << unsigned(length_);
  return os.str();
}

}  // namespace ipsecsim::xfrm
