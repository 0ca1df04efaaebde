// Builds the scenario's underlay middleboxes on the cluster world: the
// platform's filter (ibmcloud), the `underlay.firewalls` on the chosen nodes'
// uplinks, a NAPT box in front of each node of `underlay.nats`, and the
// routed core's smaller MTU (`underlay.path_mtu`, IPv6 underlays).
#pragma once

#include <string>
#include <vector>

#include "cluster_world.h"
#include "link_firewall.h"
#include "napt_box.h"
#include "path_mtu_hop.h"
#include "scenario.h"

namespace ipsecsim::harness {

struct InstalledNat {
  std::string name;
  std::string node;
  ns3::Ptr<natt::NaptBox> box;
};

struct UnderlayInstallation {
  std::vector<ns3::Ptr<natt::LinkFirewall>> firewalls;  // platform's, then the scenario's
  std::vector<InstalledNat> nats;
  // underlay.path_mtu: the routed core's hop, one per switch port (each
  // answers through its own port).
  std::vector<ns3::Ptr<natt::PathMtuHop>> pathMtuHops;
  // What the firewalls denied, the NATs and the path-MTU hop did, one line each.
  std::vector<std::string> Report() const;
};

// The public address of the scenario's n-th NAT (n from 0) in the machine
// network (sim::NetworkPlan::NatPublicAddress): 10.0.254.(n+1) in 10.0.0.0/16.
ns3::Ipv4Address NatPublicAddress(const sim::NetworkPlan& plan, size_t n);

// Must run before IPsec is installed: nodes behind a NAT are reached at its
// public address from then on (ClusterWorld::ReachVia).
UnderlayInstallation InstallUnderlay(const Scenario& scenario, sim::ClusterWorld& world);

}  // namespace ipsecsim::harness
