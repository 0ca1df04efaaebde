#include "scenario_underlay_loader.h"

#include <charconv>
#include <set>

#include "scenario_units.h"

namespace ipsecsim::harness {
namespace {

constexpr double kMaxUdpTimeoutSeconds = 24 * 3600.0;

const std::vector<std::string> kUnderlayKeys = {"firewalls", "nats", "path_mtu"};
constexpr int kIpv6MinimumMtu = 1280;  // RFC 8200 §5
const std::vector<std::string> kFirewallKeys = {"name", "nodes", "direction", "default", "rules"};
const std::vector<std::string> kRuleKeys = {"action", "protocol", "port"};
const std::vector<std::string> kNatKeys = {"name", "nodes", "udp_timeout"};
const std::vector<std::string> kDirections = {"inbound", "outbound", "both"};
const std::vector<std::string> kActions = {"allow", "deny"};
const std::vector<std::string> kRuleProtocols = {"any", "esp", "udp", "tcp", "icmp"};

// "500" -> 500..500, "30000-32767" -> 30000..32767; false when it is neither.
bool ParsePortRange(const std::string& text, int* first, int* last) {
  auto number = [](const char* begin, const char* end, int* out) {
    auto [stop, error] = std::from_chars(begin, end, *out);
    return error == std::errc() && stop == end && begin != end && *out >= 1 && *out <= 65535;
  };
  const char* begin = text.data();
  const char* end = begin + text.size();
  const size_t dash = text.find('-');
  if (dash == std::string::npos) {
    if (!number(begin, end, first)) return false;
    *last = *first;
    return true;
  }
  return number(begin, begin + dash, first) && number(begin + dash + 1, end, last) &&
         *first <= *last;
}

class UnderlayParser {
 public:
  UnderlayParser(const std::vector<std::string>& nodeNames, const UnderlayContext& context)
      : nodes_(nodeNames.begin(), nodeNames.end()), nodeNames_(nodeNames), context_(context) {}

  UnderlaySpec Parse(const YamlValue& value) {
    YamlMap underlay =
        value.AsMap(kUnderlayKeys, "an underlay map with keys " + JoinWords(kUnderlayKeys));
    if (context_.ipv6) {
      // Both middleboxes read IPv4 headers only.
      for (const char* key : {"firewalls", "nats"}) {
        if (underlay.Has(key)) {
          underlay.FailAt(key, std::string("expected no ") + key +
                                   " with cluster.ip_family: ipv6 (IPv6 firewalls and NAT66 are "
                                   "not modelled)");
        }
      }
    }
    if (auto firewalls = underlay.Find("firewalls")) ParseFirewalls(*firewalls);
    if (auto nats = underlay.Find("nats")) ParseNats(*nats);
    if (auto pathMtu = underlay.Find("path_mtu")) ParsePathMtu(*pathMtu);
    return std::move(spec_);
  }

 private:
  void ParsePathMtu(const YamlValue& value) {
    if (!context_.ipv6) {
      value.Fail(
          "expected path_mtu only with cluster.ip_family: ipv6 (on IPv4 the underlay MTU is the "
          "host MTU, enforced at br-ex; IPv4 routers' fragmentation is not modelled)");
    }
    if (context_.hostMtu <= kIpv6MinimumMtu) {
      value.Fail("expected no path_mtu: host_mtu " + std::to_string(context_.hostMtu) +
                 " leaves no room below it above IPv6's minimum MTU of 1280");
    }
    spec_.pathMtu = int(value.AsInteger(kIpv6MinimumMtu, context_.hostMtu - 1,
                                        "a path MTU from 1280 (IPv6's minimum) to host_mtu - 1 = " +
                                            std::to_string(context_.hostMtu - 1)));
  }

  std::string ParseName(const YamlValue& value, const char* what) {
    std::string name = value.AsString(std::string("a ") + what + " name");
    if (!IsDnsLabel(name)) {
      value.Fail(std::string("expected a ") + what +
                 " name that is a DNS label (lowercase letters, digits and '-'), got '" + name +
                 "'");
    }
    if (!names_.insert(name).second) {
      value.Fail("expected unique firewall and NAT names, '" + name + "' is defined twice");
    }
    return name;
  }

  std::vector<std::string> ParseNodes(const YamlValue& value, const char* what,
                                      bool externalHosts = false) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    std::vector<YamlValue> items = value.AsList(std::string("a list of node names ") + what);
    if (items.empty()) value.Fail(std::string("expected at least one node ") + what);
    const std::set<std::string> hosts(context_.externalHosts.begin(), context_.externalHosts.end());
    for (const YamlValue& item : items) {
      std::string node = item.AsString("a node name");
      if (hosts.count(node) && !externalHosts)
        item.Fail("expected a node of the cluster, got the external host '" + node +
                  "' (a NAT in front of an external host is not modelled; a firewall is)");
      if (!nodes_.count(node) && !(externalHosts && hosts.count(node))) {
        std::string hint = ClosestMatch(node, nodeNames_);
        item.Fail("expected a node of the cluster, got '" + node + "'" +
                  (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
      if (!seen.insert(node).second) item.Fail("expected each node once, '" + node + "' repeats");
      out.push_back(node);
    }
    return out;
  }

  void ParseFirewalls(const YamlValue& value) {
    for (const YamlValue& item : value.AsList("a list of firewalls")) {
      YamlMap map = item.AsMap(kFirewallKeys,
                               "a firewall like {name: sg-1, nodes: [worker-1], rules: [...]}");
      FirewallSpec fw;
      fw.name = ParseName(map.Require("name"), "firewall");
      fw.nodes = ParseNodes(map.Require("nodes"), "whose uplinks the firewall filters", true);
      if (auto direction = map.Find("direction")) {
        const std::string d = direction->AsChoice(kDirections);
        fw.direction = d == "inbound"    ? FirewallDirection::kInbound
                       : d == "outbound" ? FirewallDirection::kOutbound
                                         : FirewallDirection::kBoth;
      }
      if (auto action = map.Find("default"))
        fw.defaultAllow = action->AsChoice(kActions) == "allow";
      if (auto rules = map.Find("rules")) {
        for (const YamlValue& rule : rules->AsList("a list of rules")) {
          fw.rules.push_back(ParseRule(rule));
        }
      }
      spec_.firewalls.push_back(std::move(fw));
    }
  }

  FirewallRuleSpec ParseRule(const YamlValue& value) {
    YamlMap map = value.AsMap(kRuleKeys, "a rule like {action: deny, protocol: esp}");
    FirewallRuleSpec rule;
    rule.allow = map.Require("action").AsChoice(kActions) == "allow";
    if (auto protocol = map.Find("protocol")) rule.protocol = protocol->AsChoice(kRuleProtocols);
    if (auto port = map.Find("port")) {
      if (rule.protocol != "udp" && rule.protocol != "tcp") {
        port->Fail("expected no port for protocol " + rule.protocol +
                   " (ports apply to udp and tcp)");
      }
      const std::string text = port->AsString("a port or port range");
      if (!ParsePortRange(text, &rule.portFirst, &rule.portLast)) {
        port->Fail(
            "expected a destination port 1..65535 or a range such as 30000-32767 (first <= "
            "last), got '" +
            text + "'");
      }
    }
    return rule;
  }

  void ParseNats(const YamlValue& value) {
    for (const YamlValue& item : value.AsList("a list of NATs")) {
      YamlMap map = item.AsMap(kNatKeys, "a NAT like {name: nat-1, nodes: [worker-1]}");
      NatSpec nat;
      nat.name = ParseName(map.Require("name"), "NAT");
      YamlValue nodesValue = map.Require("nodes");
      nat.nodes = ParseNodes(nodesValue, "behind the NAT");
      if (nat.nodes.size() != 1) {
        nodesValue.Fail("expected exactly one node behind NAT '" + nat.name +
                        "': one NAPT box per node is modelled (nodes sharing a NAT would need "
                        "a shared inside segment); give each node its own NAT");
      }
      for (const std::string& node : nat.nodes) {
        if (const NatSpec* other = spec_.NatOf(node)) {
          nodesValue.Fail("expected each node behind at most one NAT, '" + node +
                          "' is already behind '" + other->name + "'");
        }
      }
      if (auto timeout = map.Find("udp_timeout")) {
        nat.udpTimeoutSeconds = timeout->AsDuration(kMaxUdpTimeoutSeconds);
        if (nat.udpTimeoutSeconds <= 0) timeout->Fail("expected a UDP idle timeout above 0");
      }
      spec_.nats.push_back(std::move(nat));
    }
  }

  std::set<std::string> nodes_;
  std::vector<std::string> nodeNames_;
  UnderlayContext context_;
  std::set<std::string> names_;
  UnderlaySpec spec_;
};

}  // namespace

const char* ToString(FirewallDirection d) {
  switch (d) {
    case FirewallDirection::kInbound:
      return "inbound";
    case FirewallDirection::kOutbound:
      return "outbound";
    case FirewallDirection::kBoth:
      break;
  }
  return "both";
}

UnderlaySpec ParseUnderlay(const YamlValue& value, const std::vector<std::string>& nodeNames,
                           const UnderlayContext& context) {
  return UnderlayParser(nodeNames, context).Parse(value);
}

}  // namespace ipsecsim::harness
