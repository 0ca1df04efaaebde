// Platform profiles: what a cloud platform's underlay does to IPsec traffic.
//
// ibmcloud: the underlay does not forward IP protocol 50 ("IPsec on IBM Cloud
// supports only NAT-T. Using ESP is not supported."), so every underlay link
// gets a firewall that denies ESP and allows everything else, UDP 500 and
// UDP 4500 included. Every other platform forwards ESP: no firewall.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "link_firewall.h"
#include "ns3/net-device.h"

namespace ipsecsim::natt {

// True when the platform's underlay drops IP protocol 50.
bool PlatformDropsEsp(std::string_view platform);

// The firewall the platform puts on one underlay link, or null when the
// platform forwards everything.
ns3::Ptr<LinkFirewall> MakePlatformFirewall(std::string_view platform, std::string linkName);

struct UnderlayLink {
  std::string name;  // e.g. "worker-1/eth0"
  ns3::Ptr<ns3::NetDevice> nodeSide;
  ns3::Ptr<ns3::NetDevice> switchSide;
};

// Puts the platform's firewall on both directions of every link; returns one
// firewall per link (none when the platform has no filter), for reports.
std::vector<ns3::Ptr<LinkFirewall>> ApplyPlatformProfile(std::string_view platform,
                                                         const std::vector<UnderlayLink>& links);

}  // namespace ipsecsim::natt
