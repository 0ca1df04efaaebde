#include "network_plan.h"

#include <regex>

namespace ipsecsim::sim {

std::string Ipv4Text(uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xFF) + "." +
         std::to_string((a >> 8) & 0xFF) + "." + std::to_string(a & 0xFF);
}

std::string Ipv4Cidr::ToString() const { return Ipv4Text(address) + "/" + std::to_string(prefix); }

std::optional<Ipv4Cidr> ParseIpv4Cidr(const std::string& text, std::string* why) {
  static const std::regex kCidr(
      R"(^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})/([0-9]{1,2})$)");
  std::smatch m;
  if (text.find(':') != std::string::npos) {
    *why = "an IPv4 CIDR, got the IPv6 '" + text + "'";
    return std::nullopt;
  }
  if (!std::regex_match(text, m, kCidr)) {
    *why = "an IPv4 CIDR like 10.128.0.0/14, got '" + text + "'";
    return std::nullopt;
  }
  uint32_t address = 0;
  for (int i = 1; i <= 5; ++i) {
    // Go's net.ParseCIDR refuses leading zeros since Go 1.17 (its release
    // notes: they read as octal elsewhere); that the installer parses these
    // CIDRs with it is an assumption.
    if (m[i].length() > 1 && m[i].str()[0] == '0') {
      *why = "an IPv4 CIDR like 10.128.0.0/14 (no leading zeros), got '" + text + "'";
      return std::nullopt;
    }
  }
  for (int i = 1; i <= 4; ++i) {
    const int octet = std::stoi(m[i].str());
    if (octet > 255) {
      *why = "an IPv4 CIDR like 10.128.0.0/14 (octets 0..255), got '" + text + "'";
      return std::nullopt;
    }
    address = address << 8 | uint32_t(octet);
  }
  Ipv4Cidr cidr{address, std::stoi(m[5].str())};
  if (cidr.prefix > 32) {
    *why = "an IPv4 CIDR like 10.128.0.0/14 (prefix 0..32), got '" + text + "'";
    return std::nullopt;
  }
  if (address == 0) {
    *why = "a network address that is specified, got '" + text + "'";
    return std::nullopt;
  }
  if ((address & cidr.Mask()) != address) {
    const Ipv4Cidr expected{address & cidr.Mask(), cidr.prefix};
    *why = "a network address without host bits: invalid network address. got " + text +
           ", expecting " + expected.ToString();
    return std::nullopt;
  }
  return cidr;
}

uint64_t NetworkPlan::NodeIps(bool withNats) const {
  // Host numbers from kFirstNodeHost up to the broadcast address (excluded),
  // or up to the first NAT address (excluded).
  const uint64_t end = withNats ? NatOffset() + 1 : machineNetwork.Size() - 1;
  if (withNats && machineNetwork.prefix > 23) return 0;
  return end > kFirstNodeHost ? end - kFirstNodeHost : 0;
}

int ClusterPrefixFor(uint64_t nodes, int hostPrefix) {
  int bits = 0;
  while ((uint64_t(1) << bits) < nodes) ++bits;
  return hostPrefix - bits >= 0 ? hostPrefix - bits : -1;
}

}  // namespace ipsecsim::sim
