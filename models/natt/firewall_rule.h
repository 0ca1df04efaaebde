// One rule of a firewall / cloud security group: what it matches and what it
// does. Rules are built fluently:
//   FirewallRule::Deny().Protocol(kProtoEsp)
//   FirewallRule::Allow().Protocol(kProtoUdp).DestinationPorts(500).From("10.0.0.0/16")
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ip_prefix.h"
#include "ipv4_view.h"

namespace ipsecsim::natt {

enum class Action { kAllow, kDeny };

std::string_view ActionName(Action action);

struct PortRange {
  uint16_t first = 0;
  uint16_t last = 65535;
  bool Contains(uint16_t port) const { return port >= first && port <= last; }
};

class FirewallRule {
 public:
  static FirewallRule Allow() { return FirewallRule(Action::kAllow); }
  static FirewallRule Deny() { return FirewallRule(Action::kDeny); }

  FirewallRule& Protocol(uint8_t number);
  // "any", "udp", "tcp", "icmp", "esp" or a number 0-255; throws
  // std::invalid_argument otherwise.
  FirewallRule& Protocol(std::string_view name);
  FirewallRule& From(const xfrm::IpPrefix& prefix);
  FirewallRule& From(std::string_view prefix);  // throws std::invalid_argument
  FirewallRule& To(const xfrm::IpPrefix& prefix);
  FirewallRule& To(std::string_view prefix);  // throws std::invalid_argument
  // Only UDP and TCP have ports: a rule with ports never matches another
  // protocol, nor a non-first fragment (which carries no L4 header).
  FirewallRule& DestinationPorts(uint16_t first, uint16_t last);
  FirewallRule& DestinationPorts(uint16_t port) { return DestinationPorts(port, port); }

  Action GetAction() const { return action_; }
  bool Matches(const Ipv4View& packet) const;
  // "deny proto 50", "allow udp from 10.0.0.0/16 dport 4500"
  std::string Describe() const;

 private:
  explicit FirewallRule(Action action) : action_(action) {}

  Action action_;
  std::optional<uint8_t> protocol_;  // nullopt: any
  xfrm::IpPrefix source_;
  xfrm::IpPrefix destination_;
  std::optional<PortRange> destinationPorts_;
};

// Parses a protocol name or number; nullopt for "any". Throws
// std::invalid_argument for anything else.
std::optional<uint8_t> ParseProtocol(std::string_view name);

}  // namespace ipsecsim::natt
