// The scenario's `underlay:` section: firewalls (security groups) on chosen
// nodes' uplinks and NATs in front of chosen nodes (docs/scenario-reference.md).
#pragma once

#include <string>
#include <vector>

namespace ipsecsim::harness {

enum class FirewallDirection { kInbound, kOutbound, kBoth };

struct FirewallRuleSpec {
  bool allow = false;
  std::string protocol = "any";  // any | esp | udp | tcp | icmp
  int portFirst = 0;             // destination ports; 0: any (and no port match)
  int portLast = 0;
};

struct FirewallSpec {
  std::string name;
  std::vector<std::string> nodes;  // whose uplinks it filters
  FirewallDirection direction = FirewallDirection::kBoth;
  bool defaultAllow = true;
  std::vector<FirewallRuleSpec> rules;  // rule n is rules[n - 1]
};

struct NatSpec {
  std::string name;
  std::vector<std::string> nodes;  // behind it (one node per NAT is modelled)
  double udpTimeoutSeconds = 30;
};

struct UnderlaySpec {
  std::vector<FirewallSpec> firewalls;
  std::vector<NatSpec> nats;
  // The MTU of the routed core between the nodes (underlay.path_mtu), when it
  // is below the host MTU; 0: the path MTU is the host MTU. IPv6 underlays only.
  int pathMtu = 0;
  const NatSpec* NatOf(const std::string& node) const {
    for (const NatSpec& nat : nats)
      for (const std::string& n : nat.nodes)
        if (n == node) return &nat;
    return nullptr;
  }
};

const char* ToString(FirewallDirection d);

}  // namespace ipsecsim::harness
