// Puts a NaptBox into an existing CSMA link: `host NIC <-> switch port`
// becomes `host NIC <-> NAT inside | NAT outside <-> switch port`, for worlds
// whose links are already built (the cluster's). The host NIC moves to a new
// channel with the old one's data rate and no delay; the NAT's outside device
// takes the NIC's place on the old channel, so the node's one-way delay and
// everything set on the switch port (filters, loss) stay as they were.
// Unlike PlaceNaptBetween, no link needs to be left out when building.
#pragma once

#include "napt_placement.h"
#include "ns3/csma-net-device.h"

namespace ipsecsim::natt {

// `box` carries the NAT's attributes (timeouts, ports); null: the defaults.
// The NIC must be on a CsmaChannel (aborts otherwise).
NaptPlacement SpliceNapt(ns3::Ptr<ns3::CsmaNetDevice> hostNic, ns3::Ipv4Address publicAddress,
                         ns3::Ptr<NaptBox> box = nullptr);

}  // namespace ipsecsim::natt
