// The filter of an underlay that does not forward IP protocol 50 (the
// platforms whose sim::PlatformProfile says dropsEsp: ibmcloud, "IPsec on IBM
// Cloud supports only NAT-T. Using ESP is not supported."): every underlay
// link gets a firewall that denies ESP and allows everything else, UDP 500
// and UDP 4500 included.
#pragma once

#include <string>
#include <vector>

#include "link_firewall.h"
#include "ns3/net-device.h"

namespace ipsecsim::natt {

// The ESP filter of one underlay link.
ns3::Ptr<LinkFirewall> MakeEspFilter(std::string linkName);

struct UnderlayLink {
  std::string name;  // e.g. "worker-1/eth0"
  ns3::Ptr<ns3::NetDevice> nodeSide;
  ns3::Ptr<ns3::NetDevice> switchSide;
};

// Puts the ESP filter on both directions of every link; returns one firewall
// per link, for reports.
std::vector<ns3::Ptr<LinkFirewall>> ApplyEspFilter(const std::vector<UnderlayLink>& links);

}  // namespace ipsecsim::natt
