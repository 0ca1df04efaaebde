// The value checks Libreswan makes when it loads a conn (addconn's
// "bad subnet" and "bad ...protoport" errors), and the selector arithmetic
// the preflight needs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conf_resolve.h"

namespace ipsecsim::libreswan {

struct Subnet {
  bool ipv6 = false;
  std::array<uint8_t, 16> address{};  // network order; IPv4 in the first 4 bytes
  int prefix = 0;
  // True when every address of `inner` lies in this subnet.
  bool Contains(const Subnet& inner) const;
  bool Overlaps(const Subnet& other) const;
  std::string Describe() const;
};

// "10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 or /128. nullopt
// and a Libreswan-style reason in *why when it is not a subnet.
std::optional<Subnet> ParseSubnet(std::string_view text, std::string* why = nullptr);

// Marks conns with a bad leftsubnet/rightsubnet or left/rightprotoport as
// not loaded, with Libreswan's message.
void CheckLoadValues(ResolvedConfig& config);

}  // namespace ipsecsim::libreswan
