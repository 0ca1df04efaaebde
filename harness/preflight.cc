#include "preflight.h"

#include <algorithm>
#include <optional>
#include <sstream>

#include "ipv4_view.h"
#include "preflight_merge.h"
#include "protocol_ports.h"
#include "underlay_rules.h"

namespace ipsecsim::harness {
namespace {

struct Traffic {
  const char* key;   // report.json
  const char* name;  // text
  uint8_t protocol;
  uint16_t port;  // 0: none
};
const Traffic kTraffic[] = {{"udp/500", "UDP 500 (IKE)", natt::kProtoUdp, ports::kIke},
                            {"udp/4500", "UDP 4500 (NAT-T)", natt::kProtoUdp, ports::kNatt},
                            {"esp", "ESP (IP protocol 50)", natt::kProtoEsp, 0}};

// Where a packet stops, or the condition it passes under.
struct Stop {
  std::string status;  // blocked | reply-only
  std::string cause;
};

std::string FormatSeconds(double seconds) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out << seconds << "s";
  return out.str();
}

std::string PlatformText(const Scenario& sc) { return sim::PlatformName(sc.cluster.platform); }

class PairEvaluator {
 public:
  explicit PairEvaluator(const Scenario& sc) : sc_(sc) {
    for (const FirewallSpec& fw : sc.underlay.firewalls) tables_.push_back(ToRuleTable(fw));
  }

  // The first stage on the path from `a` to `b` that stops `t`, if any; the
  // platform's filter, the same for every pair, is left to the caller.
  std::optional<Stop> Evaluate(const std::string& a, const std::string& b, const Traffic& t) const {
    natt::Ipv4View packet;
    packet.protocol = t.protocol;
    packet.hasPorts = t.port != 0;
    packet.sourcePort = packet.destinationPort = t.port;
    if (auto stop = Firewalls(a, FirewallDirection::kOutbound, packet)) return stop;
    const NatSpec* natA = sc_.underlay.NatOf(a);
    const NatSpec* natB = sc_.underlay.NatOf(b);
    if (t.protocol == natt::kProtoEsp && (natA || natB)) {
      const NatSpec* nat = natA ? natA : natB;
      return Stop{"blocked", "nat " + nat->name + " in front of " + (natA ? a : b) +
                                 " (a NAPT maps only UDP and TCP)"};
    }
    if (auto stop = Firewalls(b, FirewallDirection::kInbound, packet)) return stop;
    if (natB) {
      return Stop{"reply-only", "nat " + natB->name + " in front of " + b +
                                    " (forwards only on a mapping " + b + " opened)"};
    }
    return std::nullopt;
  }

  bool Encapsulated(const std::string& a, const std::string& b) const {
    const bool natBetween = sc_.underlay.NatOf(a) || sc_.underlay.NatOf(b);
    return sim::ProtectionFor(sc_.cluster.platform, sc_.cluster.encapsulation, natBetween) ==
           sim::mtu::Protection::kEspInUdp;
  }

  std::string WhyEncapsulated(const std::string& a, const std::string& b) const {
    if (sc_.cluster.encapsulation == Encapsulation::kAlways) return "encapsulation Always";
    if (sim::ProfileOf(sc_.cluster.platform).dropsEsp)
      return "platform " + PlatformText(sc_) + " forces encapsulation";
    const NatSpec* nat = sc_.underlay.NatOf(a) ? sc_.underlay.NatOf(a) : sc_.underlay.NatOf(b);
    return "IKE detects nat " + nat->name + " between them";
  }

 private:
  std::optional<Stop> Firewalls(const std::string& node, FirewallDirection direction,
                                const natt::Ipv4View& packet) const {
    for (size_t i = 0; i < tables_.size(); ++i) {
      const FirewallSpec& fw = sc_.underlay.firewalls[i];
      if (fw.direction != direction && fw.direction != FirewallDirection::kBoth) continue;
      if (std::find(fw.nodes.begin(), fw.nodes.end(), node) == fw.nodes.end()) continue;
      natt::FirewallRuleTable& table = tables_[i];
      const natt::FirewallRuleTable::Decision d = table.Evaluate(packet);
      if (d.action == natt::Action::kAllow) continue;
      const std::string where =
          std::string(" (") + (direction == FirewallDirection::kOutbound ? "outbound" : "inbound") +
          " on " + node + ") ";
      const std::string rule = d.ruleNumber == 0 ? std::string("default deny")
                                                 : "rule " + std::to_string(d.ruleNumber) + " (" +
                                                       table.Rule(d.ruleNumber).Describe() + ")";
      return Stop{"blocked", "firewall " + fw.name + where + rule};
    }
    return std::nullopt;
  }

  const Scenario& sc_;
  mutable std::vector<natt::FirewallRuleTable> tables_;  // Evaluate counts; counts unused
};

class PreflightBuilder {
 public:
  explicit PreflightBuilder(const Scenario& sc) : sc_(sc), eval_(sc) {}

  std::vector<PreflightFinding> Build() {
    const std::vector<std::string> nodes = sc_.NodeNames();
    // The platform drops ESP on every link: one finding for every pair.
    const bool platformDropsEsp = sim::ProfileOf(sc_.cluster.platform).dropsEsp;
    if (platformDropsEsp) AddPlatformEsp();
    for (const std::string& a : nodes) {
      for (const std::string& b : nodes) {
        if (a == b) continue;
        for (const Traffic& t : kTraffic) {
          if (platformDropsEsp && t.protocol == natt::kProtoEsp) continue;
          if (auto stop = eval_.Evaluate(a, b, t)) Add(a, b, t, *stop);
        }
      }
    }
    AddMappingExpiry(nodes);
    return MergePeers(pairs_, nodes.size());
  }

 private:
  bool Full() const { return sc_.cluster.ipsecMode == IpsecMode::kFull; }

  void Add(const std::string& a, const std::string& b, const Traffic& t, const Stop& stop) {
    PairFinding f;
    f.from = a;
    f.to = b;
    f.traffic = t.key;
    f.trafficName = t.name;
    f.status = stop.status;
    f.cause = stop.cause;
    f.affectsIpsec = Full() && Needed(a, b, t, stop);
    f.consequence = Consequence(a, b, t, stop, f.affectsIpsec);
    pairs_.push_back(std::move(f));
  }

  void AddPlatformEsp() {
    PairFinding f;
    f.from = f.to = "*";
    f.traffic = "esp";
    f.trafficName = "ESP (IP protocol 50)";
    f.status = "blocked";
    f.cause = "platform " + PlatformText(sc_) + " (the underlay drops IP protocol 50)";
    // The operator forces encapsulation on such a platform: ESP is never needed.
    f.consequence = Full() ? "not used: platform " + PlatformText(sc_) +
                                 " forces encapsulation, ESP travels in UDP 4500"
                           : std::string("not used: IPsec is ") + ToString(sc_.cluster.ipsecMode);
    pairs_.push_back(std::move(f));
  }

  bool Needed(const std::string& a, const std::string& b, const Traffic& t,
              const Stop& stop) const {
    if (stop.status == "reply-only") {
      // Harmless when the receiver can open the mapping: it can reach the sender.
      return eval_.Evaluate(b, a, t).has_value();
    }
    if (t.port == ports::kIke) return true;
    return eval_.Encapsulated(a, b) == (t.port == ports::kNatt);
  }

  // Names the pair as {a} and {b}, so that findings of one node with every
  // other node can be merged (preflight_merge.h).
  std::string Consequence(const std::string& a, const std::string& b, const Traffic& t,
                          const Stop& stop, bool affects) const {
    if (!Full()) return std::string("not used: IPsec is ") + ToString(sc_.cluster.ipsecMode);
    if (stop.status == "reply-only") {
      if (!affects)
        return "{b} initiates IKE itself (the mesh starts its connections), replies pass";
      const std::optional<Stop> back = eval_.Evaluate(b, a, t);
      return back->status == "reply-only"
                 ? "neither node can open the other's NAT mapping: no IKE SA, Geneve between "
                   "them is dropped"
                 : "{b} cannot open its NAT mapping towards {a}, its own packets are stopped by " +
                       back->cause + ": no IKE SA, Geneve between them is dropped";
    }
    if (t.port == ports::kIke) {
      return "IKE cannot be negotiated between {a} and {b}: no SA, Geneve between them is dropped";
    }
    const bool encapsulated = eval_.Encapsulated(a, b);
    if (t.port == ports::kNatt) {
      return affects ? eval_.WhyEncapsulated(a, b) +
                           ": ESP travels in UDP 4500, so Geneve from {a} to {b} is dropped"
                     : "not used: encapsulation Auto and no NAT between them, ESP goes as IP "
                       "protocol 50";
    }
    return encapsulated ? "not used: " + eval_.WhyEncapsulated(a, b) + ", ESP travels in UDP 4500"
                        : "encapsulation Auto: ESP is not encapsulated (no NAT between them), so "
                          "Geneve from {a} to {b} is dropped";
  }

  void AddMappingExpiry(const std::vector<std::string>& nodes) {
    const double keepalive = sc_.cluster.natKeepaliveSeconds;
    for (const NatSpec& nat : sc_.underlay.nats) {
      if (keepalive > 0 && keepalive < nat.udpTimeoutSeconds) continue;
      for (const std::string& inside : nat.nodes) {
        for (const std::string& a : nodes) {
          if (a == inside) continue;
          PairFinding f;
          f.from = a;
          f.to = inside;
          f.traffic = "udp/4500";
          f.trafficName = "UDP 4500 (NAT-T)";
          f.status = "expires";
          f.cause = "nat " + nat.name + " in front of " + inside + " (UDP idle timeout " +
                    FormatSeconds(nat.udpTimeoutSeconds) + ")";
          f.affectsIpsec = Full();
          f.consequence =
              (keepalive == 0 ? std::string("nat_keepalive 0 (no keepalives)")
                              : "nat_keepalive " + FormatSeconds(keepalive) + " >= the timeout") +
              ": the mapping expires after " + FormatSeconds(nat.udpTimeoutSeconds) +
              " without packets from {b}, then ESP in UDP 4500 from {a} to {b} is dropped until "
              "{b} sends again";
          pairs_.push_back(std::move(f));
        }
      }
    }
  }

  const Scenario& sc_;
  PairEvaluator eval_;
  std::vector<PairFinding> pairs_;
};

// Whether a finding about traffic from the flow's destination node to its
// source node bears on the flow: IKE (UDP 500 and 4500) needs both ways;
// ESP the other way carries only replies (TCP, ICMP), not a UDP flow's; a
// NAT mapping that expires stops only traffic towards the node behind it,
// and replies follow the node's own packets, which renew the mapping.
bool BearsBackwards(const PreflightFinding& f, Protocol protocol) {
  if (f.status == "expires") return false;
  return f.traffic != "esp" || protocol != Protocol::kUdp;
}

std::string NodeOf(const Scenario& sc, const std::string& endpoint) {
  const PodSpec* pod = sc.FindPod(endpoint);
  return pod ? pod->node : endpoint;
}

}  // namespace

std::vector<PreflightFinding> RunPreflight(const Scenario& scenario) {
  return PreflightBuilder(scenario).Build();
}

void LinkPreflight(const Scenario& sc, RunReport& report) {
  for (size_t i = 0; i < sc.flows.size() && i < report.flows.size(); ++i) {
    const FlowSpec& spec = sc.flows[i];
    const std::string a = NodeOf(sc, spec.from), b = NodeOf(sc, spec.to);
    // Only traffic to a cluster-network pod on another node rides Geneve,
    // which IPsec protects; host-network destinations are reached in clear.
    const PodSpec* to = sc.FindPod(spec.to);
    if (a == b || !to || to->hostNetwork) continue;
    FlowResult& flow = report.flows[i];
    for (PreflightFinding& f : report.preflight) {
      if (!f.affectsIpsec) continue;
      auto is = [](const std::string& peer, const std::string& node) {
        return peer == "*" || peer == node;
      };
      const bool forward = is(f.from, a) && is(f.to, b);
      const bool backward = is(f.from, b) && is(f.to, a);
      if (!forward && !(backward && BearsBackwards(f, spec.protocol))) continue;
      flow.preflight.push_back(f.id);
      f.flows.push_back(flow.name);
    }
    if (flow.preflight.empty()) continue;
    std::string ids;
    for (const std::string& id : flow.preflight) ids += (ids.empty() ? "" : ", ") + id;
    flow.explanation += "; see preflight " + ids;
  }
}

}  // namespace ipsecsim::harness
