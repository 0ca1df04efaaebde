// Builds the scenario's underlay middleboxes on the cluster world: the
// platform's filter (ibmcloud), the `underlay.firewalls` on the chosen nodes'
// uplinks and a NAPT box in front of each node of `underlay.nats`.
#pragma once

#include <string>
#include <vector>

#include "cluster_world.h"
#include "link_firewall.h"
#include "napt_box.h"
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
  // What the firewalls denied and the NATs did, one line each.
  std::vector<std::string> Report() const;
};

// The public address of the scenario's n-th NAT (n from 0): 10.0.254.(n+1).
ns3::Ipv4Address NatPublicAddress(size_t n);

// Must run before IPsec is installed: nodes behind a NAT are reached at its
// public address from then on (ClusterWorld::ReachVia).
UnderlayInstallation InstallUnderlay(const Scenario& scenario, sim::ClusterWorld& world);

// Sets the NAT-T keepalive period of every IKE daemon created while it
// lives (ns-3 attribute default); restores Libreswan's 20 s after.
class NatKeepaliveDefault {
 public:
  explicit NatKeepaliveDefault(double seconds);
  ~NatKeepaliveDefault();
  NatKeepaliveDefault(const NatKeepaliveDefault&) = delete;
  NatKeepaliveDefault& operator=(const NatKeepaliveDefault&) = delete;
};

}  // namespace ipsecsim::harness
