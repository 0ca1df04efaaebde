// An IP address of either family, as IKE carries it: in the IKE SA's
// endpoints, the connections' left/right, traffic selectors and the
// NAT_DETECTION hashes. The bytes are those on the wire (network order: 4 for
// IPv4, 16 for IPv6). No ns-3 here; ip_address_ns3.h converts.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace ipsecsim::ike {

class IpAddress {
 public:
  enum class Family : uint8_t { kIpv4, kIpv6 };

  IpAddress() = default;  // 0.0.0.0: IPv4, unspecified
  static IpAddress V4(uint32_t hostOrder);
  static IpAddress V6(const std::array<uint8_t, 16>& bytes);
  // 0.0.0.0 or ::
  static IpAddress Any(Family family) { return family == Family::kIpv6 ? V6({}) : IpAddress(); }
  // 4 bytes give IPv4, 16 IPv6; any other length nullopt.
  static std::optional<IpAddress> FromBytes(const uint8_t* data, size_t length);

  Family GetFamily() const { return family_; }
  bool IsV6() const { return family_ == Family::kIpv6; }
  size_t Size() const { return IsV6() ? 16 : 4; }
  const uint8_t* Data() const { return bytes_.data(); }
  uint32_t V4Value() const;  // host order; only meaningful for IPv4
  bool IsUnspecified() const;
  // 10.1.0.1, or fd00:10::a (RFC 5952: lower case, longest zero run as ::).
  std::string ToString() const;

  bool operator==(const IpAddress& o) const { return family_ == o.family_ && bytes_ == o.bytes_; }
  bool operator!=(const IpAddress& o) const { return !(*this == o); }
  // IPv4 before IPv6, then by the bytes, i.e. numerically.
  bool operator<(const IpAddress& o) const {
    return family_ != o.family_ ? family_ < o.family_ : bytes_ < o.bytes_;
  }

 private:
  Family family_ = Family::kIpv4;
  std::array<uint8_t, 16> bytes_{};  // IPv4 in the first four
};

}  // namespace ipsecsim::ike
