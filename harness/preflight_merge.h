// The preflight's last step: findings about single ordered pairs become the
// report's findings. Where a node's findings with every other node agree in
// all but the peer (a firewall on that node, the NAT in front of it), they
// become one finding from (or to) "*", so a rule on 300 nodes is 300
// findings, not 89700.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "preflight_finding.h"

namespace ipsecsim::harness {

struct PairFinding {
  std::string from, to;  // nodes, or "*" for every node
  std::string traffic;   // udp/500 | udp/4500 | esp
  std::string trafficName;
  std::string status;
  std::string cause;
  std::string consequence;  // may name the pair as {a} (from) and {b} (to)
  bool affectsIpsec = false;
};

// In the order of each merged group's first member; ids P1, P2, ...
std::vector<PreflightFinding> MergePeers(const std::vector<PairFinding>& pairs, size_t nodeCount);

// "*" as a peer reads "every other node" ("all nodes" when both are "*").
std::string PeerName(const std::string& node);

}  // namespace ipsecsim::harness
