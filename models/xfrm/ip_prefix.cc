#include "ip_prefix.h"

#include <charconv>
#include <sstream>

namespace ipsecsim::xfrm {

namespace {
uint32_t MaskOf(uint8_t length) { return length == 0 ? 0 : ~uint32_t(0) << (32 - length); }
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
  const std::optional<ns3::Ipv4Address> ipv4 = DecodeIpv4(address);
  return ipv4 && Contains(*ipv4);
}

std::string IpPrefix::ToString() const {
  std::ostringstream os;
  os << ns3::Ipv4Address(network_) << "/" << unsigned(length_);
  return os.str();
}

}  // namespace ipsecsim::xfrm
