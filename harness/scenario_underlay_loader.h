// Loads the scenario's `underlay:` section (firewalls and NATs between
// nodes), strictly: unknown keys, wrong types and unknown nodes are
// ScenarioErrors at the offending key.
#pragma once

#include <string>
#include <vector>

#include "underlay_spec.h"
#include "yaml_reader.h"

namespace ipsecsim::harness {

// What the underlay section is checked against, from the cluster section.
struct UnderlayContext {
  int hostMtu = 1500;
  bool ipv6 = false;  // cluster.ip_family: ipv6
  // The external.hosts' names: a firewall may filter their links too.
  std::vector<std::string> externalHosts;
};

// `nodeNames`: the cluster's nodes, in pool order.
UnderlaySpec ParseUnderlay(const YamlValue& value, const std::vector<std::string>& nodeNames,
                           const UnderlayContext& context = {});

}  // namespace ipsecsim::harness
