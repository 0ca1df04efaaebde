#include "underlay_rules.h"

namespace ipsecsim::harness {

natt::FirewallRule ToFirewallRule(const FirewallRuleSpec& spec) {
  natt::FirewallRule rule = spec.allow ? natt::FirewallRule::Allow() : natt::FirewallRule::Deny();
  rule.Protocol(spec.protocol);
  if (spec.portFirst > 0) rule.DestinationPorts(uint16_t(spec.portFirst), uint16_t(spec.portLast));
  return rule;
}

natt::FirewallRuleTable ToRuleTable(const FirewallSpec& firewall) {
  natt::FirewallRuleTable table(firewall.defaultAllow ? natt::Action::kAllow : natt::Action::kDeny);
  for (const FirewallRuleSpec& rule : firewall.rules) table.Add(ToFirewallRule(rule));
  return table;
}

}  // namespace ipsecsim::harness
