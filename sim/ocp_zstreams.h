// Which z-streams each minor shipped, and the update graph's conditional
// risks that concern IPsec (openshift/cincinnati-graph-data, 731d04247:
// channels/candidate-4.N.yaml, blocked-edges/4.15.*-OVNIPsec*.yaml).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ocp_version.h"

namespace ipsecsim::sim {

// The first z-stream of the minor (what a bare "4.N" stands for); nullopt
// for a minor outside 4.12..4.19.
std::optional<int> FirstZStream(int minor);
// nullopt if `v` shipped; otherwise why it is not a version (for the message).
std::optional<std::string> NotShipped(const OcpVersion& v);
// A bare minor becomes its first z-stream; a z-stream stays as given.
OcpVersion Resolve(OcpVersion v);

struct UpdateRisk {
  std::string name;     // OVNIPsecConnectivity
  std::string message;  // as the graph states it
  std::string url;
};
// The conditional update risks on from -> to for a cluster with IPsec on.
std::vector<UpdateRisk> IpsecUpdateRisks(const OcpVersion& from, const OcpVersion& to);
// nullopt if the update graph can have the edge from -> to; otherwise why not.
std::optional<std::string> UpdateNotAllowed(const OcpVersion& from, const OcpVersion& to);

}  // namespace ipsecsim::sim
