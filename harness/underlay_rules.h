// The scenario's firewall rules as the natt model's rules: one translation,
// used both to build the firewalls on the wire and by the preflight, so that
// what the preflight predicts is what the links do.
#pragma once

#include "firewall_rule.h"
#include "firewall_rule_table.h"
#include "underlay_spec.h"

namespace ipsecsim::harness {

natt::FirewallRule ToFirewallRule(const FirewallRuleSpec& rule);
// The firewall's rules in order, with its default action.
natt::FirewallRuleTable ToRuleTable(const FirewallSpec& firewall);

}  // namespace ipsecsim::harness
