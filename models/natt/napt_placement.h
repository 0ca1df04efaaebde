// Puts a NaptBox in the wire between a host and a switch: where the cluster
// cables `host <-> switch`, it cables `host <-> NAT node <-> switch` instead.
// The host keeps its address and routes; what it sends leaves the NAT's
// outside port from `publicAddress`. Each of the two links gets the CSMA
// helper's attributes, so a caller that wants the NAT to add no delay halves
// the helper's delay for these two links.
#pragma once

#include "napt_box.h"
#include "ns3/csma-helper.h"
#include "ns3/node.h"

namespace ipsecsim::natt {

struct NaptPlacement {
  ns3::Ptr<ns3::Node> natNode;
  ns3::Ptr<NaptBox> box;
  ns3::Ptr<ns3::NetDevice> hostNic;     // the host's end of the inside link
  ns3::Ptr<ns3::NetDevice> natInside;   // the NAT's end of the inside link
  ns3::Ptr<ns3::NetDevice> natOutside;  // the NAT's end of the outside link
  ns3::Ptr<ns3::NetDevice> switchPort;  // to add to the switch's bridge ports
};

// `box` carries the NAT's attributes (timeouts, ports); null: the defaults.
NaptPlacement PlaceNaptBetween(const ns3::CsmaHelper& csma, ns3::Ptr<ns3::Node> host,
                               ns3::Ptr<ns3::Node> switchNode, ns3::Ipv4Address publicAddress,
                               ns3::Ptr<NaptBox> box = nullptr);

}  // namespace ipsecsim::natt
