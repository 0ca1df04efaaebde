// One finding of the ports-table preflight (harness/preflight.h): traffic
// between two nodes that the configured underlay will not pass, or will pass
// only under a condition.
#pragma once

#include <string>
#include <vector>

namespace ipsecsim::harness {

struct PreflightFinding {
  std::string id;       // "P1", "P2", ... in report order
  std::string from;     // node
  std::string to;       // node
  std::string traffic;  // "udp/500" (IKE) | "udp/4500" (NAT-T) | "esp" (IP protocol 50)
  // blocked:    never passes;
  // reply-only: passes only on a NAT mapping the receiving node opened;
  // expires:    passes while the receiving node's NAT mapping lives.
  std::string status;
  std::string cause;          // e.g. "firewall sg-1 (outbound on worker-0) rule 2 (deny proto 50)"
  std::string consequence;    // what it means for IPsec between the two nodes
  bool affectsIpsec = false;  // the scenario's IPsec needs this traffic
  std::vector<std::string> flows;  // flows whose verdict it bears on
  std::string text;                // one line: the whole finding
};

}  // namespace ipsecsim::harness
