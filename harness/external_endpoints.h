// The external IPsec endpoints of a run: the hosts outside the cluster, each
// with its kernel's xfrm and its pluto, and the nodes' own pluto
// connections from the MachineConfigs (harness/external reads the files).
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "cluster_world.h"
#include "external_setup.h"
#include "ike_daemon.h"
#include "key_log.h"
#include "node_ipsec.h"
#include "report.h"
#include "scenario.h"
#include "xfrm_stack.h"

namespace ipsecsim::harness {

struct ExternalRun {
  std::shared_ptr<const ExternalSetup> setup;
  // Per external host, in the scenario's order.
  std::vector<ns3::Ptr<xfrm::XfrmStack>> hostStacks;
  std::vector<ns3::Ptr<ike::IkeDaemon>> hostDaemons;
  // Nodes without IPsec Full whose MachineConfig enables ipsec.service: the
  // host pluto runs the user's connections alone.
  std::map<uint32_t, ns3::Ptr<xfrm::XfrmStack>> nodeStacks;
  std::map<uint32_t, ns3::Ptr<ike::IkeDaemon>> nodeDaemons;
};

// The hosts join the underlay; call before anything is spliced into it.
void AddExternalHosts(const ExternalSetup& setup, sim::ClusterWorld& world);

// Starts every external host's pluto with its connections now, and on every
// node that has no IPsec Full mesh the host pluto of its MachineConfig.
void StartExternalPlutos(ExternalRun& run, sim::ClusterWorld& world, sim::KeyLog& keys,
                         uint64_t seed, int64_t epochSeconds, bool meshInstalled);

// IPsec Full: each node's pluto also loads the node's own connections.
void AddHostConnections(const ExternalSetup& setup, const sim::ClusterWorld& world,
                        std::vector<std::shared_ptr<sim::NodeIpsec>>& nodes);

// A lifecycle run: the node's TCP follows its xfrm bundle's MTU once a
// user MachineConfig's connection protects it.
void FollowHostBundleMtu(const ExternalSetup& setup, const sim::ClusterWorld& world,
                         const std::vector<ns3::Ptr<xfrm::XfrmStack>>& stacks);

// The check's findings on each pool's MachineConfig, each with the flows
// between a node of that pool and an external host.
std::vector<ExternalFinding> ExternalFindingsOf(const Scenario& scenario,
                                                const ExternalSetup& setup);

}  // namespace ipsecsim::harness
