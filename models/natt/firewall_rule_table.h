// An ordered list of firewall rules with a default action: the first rule that
// matches decides, and every decision is counted (packets and IPv4 bytes) for
// the rule that made it, or for the default action.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "firewall_rule.h"
#include "ipv4_view.h"

namespace ipsecsim::natt {

struct PacketCounter {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  void Add(uint64_t size) {
    ++packets;
    bytes += size;
  }
};

class FirewallRuleTable {
 public:
  explicit FirewallRuleTable(Action defaultAction) : defaultAction_(defaultAction) {}

  // Appends a rule and returns its number (1 for the first rule).
  size_t Add(FirewallRule rule);

  struct Decision {
    Action action;
    size_t ruleNumber;  // 0: the default action decided
  };
  // Decides for one packet and counts it.
  Decision Evaluate(const Ipv4View& packet);
  void ResetCounters();

  size_t RuleCount() const { return rules_.size(); }
  const FirewallRule& Rule(size_t number) const { return rules_.at(number - 1).rule; }
  const PacketCounter& RuleCounter(size_t number) const { return rules_.at(number - 1).counter; }
  Action DefaultAction() const { return defaultAction_; }
  const PacketCounter& DefaultCounter() const { return defaultCounter_; }

 private:
  struct CountedRule {
    FirewallRule rule;
    PacketCounter counter;
  };
  Action defaultAction_;
  std::vector<CountedRule> rules_;
  PacketCounter defaultCounter_;
};

}  // namespace ipsecsim::natt
