#include "firewall_rule_table.h"

namespace ipsecsim::natt {

size_t FirewallRuleTable::Add(FirewallRule rule) {
  rules_.push_back(CountedRule{std::move(rule), {}});
  return rules_.size();
}

FirewallRuleTable::Decision FirewallRuleTable::Evaluate(const Ipv4View& packet) {
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].rule.Matches(packet)) {
      rules_[i].counter.Add(packet.totalLength);
      return {rules_[i].rule.GetAction(), i + 1};
    }
  }
  defaultCounter_.Add(packet.totalLength);
  return {defaultAction_, 0};
}

void FirewallRuleTable::ResetCounters() {
  for (CountedRule& counted : rules_) counted.counter = {};
  defaultCounter_ = {};
}

}  // namespace ipsecsim::natt
