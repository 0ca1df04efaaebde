#include "firewall_rule.h"

#include <charconv>
#include <sstream>
#include <stdexcept>

namespace ipsecsim::natt {
namespace {

xfrm::IpPrefix ParsePrefixOrThrow(std::string_view text) {
  auto prefix = xfrm::IpPrefix::Parse(text);
  if (!prefix)
    throw std::invalid_argument("firewall rule: bad IPv4 prefix '" + std::string(text) + "'");
  return *prefix;
}

std::string ProtocolName(uint8_t number) {
  switch (number) {
    case kProtoUdp:
      return "udp";
    case kProtoTcp:
      return "tcp";
    case kProtoIcmp:
      return "icmp";
    default:
      return "proto " + std::to_string(number);
  }
}

}  // namespace

std::string_view ActionName(Action action) { return action == Action::kAllow ? "allow" : "deny"; }

std::optional<uint8_t> ParseProtocol(std::string_view name) {
  if (name == "any") return std::nullopt;
  if (name == "udp") return kProtoUdp;
  if (name == "tcp") return kProtoTcp;
  if (name == "icmp") return kProtoIcmp;
  if (name == "esp") return kProtoEsp;
  unsigned value = 0;
  auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), value);
  if (name.empty() || error != std::errc() || end != name.data() + name.size() || value > 255) {
    throw std::invalid_argument("firewall rule: unknown protocol '" + std::string(name) +
                                "' (any, udp, tcp, icmp, esp or 0-255)");
  }
  return uint8_t(value);
}

FirewallRule& FirewallRule::Protocol(uint8_t number) {
  protocol_ = number;
  return *this;
}

FirewallRule& FirewallRule::Protocol(std::string_view name) {
  protocol_ = ParseProtocol(name);
  return *this;
}

FirewallRule& FirewallRule::From(const xfrm::IpPrefix& prefix) {
  source_ = prefix;
  return *this;
}

FirewallRule& FirewallRule::From(std::string_view prefix) {
  return From(ParsePrefixOrThrow(prefix));
}

FirewallRule& FirewallRule::To(const xfrm::IpPrefix& prefix) {
  destination_ = prefix;
  return *this;
}

FirewallRule& FirewallRule::To(std::string_view prefix) { return To(ParsePrefixOrThrow(prefix)); }

FirewallRule& FirewallRule::DestinationPorts(uint16_t first, uint16_t last) {
  if (first > last) throw std::invalid_argument("firewall rule: port range first > last");
  destinationPorts_ = PortRange{first, last};
  return *this;
}

bool FirewallRule::Matches(const Ipv4View& packet) const {
  if (protocol_ && *protocol_ != packet.protocol) return false;
  if (!source_.Contains(packet.source) || !destination_.Contains(packet.destination)) return false;
  if (destinationPorts_) {
    return packet.hasPorts && destinationPorts_->Contains(packet.destinationPort);
  }
  return true;
}

std::string FirewallRule::Describe() const {
  std::ostringstream out;
  out << ActionName(action_);
  out << ' ' << (protocol_ ? ProtocolName(*protocol_) : std::string("any"));
  if (source_.Length() > 0) out << " from " << source_.ToString();
  if (destination_.Length() > 0) out << " to " << destination_.ToString();
  if (destinationPorts_) {
    out << " dport " << destinationPorts_->first;
    if (destinationPorts_->last != destinationPorts_->first) out << '-' << destinationPorts_->last;
  }
  return out.str();
}

}  // namespace ipsecsim::natt
