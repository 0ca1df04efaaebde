// The SA view at the end of a run, like `swanctl --list-sas` and `ipsec
// trafficstatus`: read from a node's IKE daemon (its connections) and its
// kernel (the xfrm states and policies), through their public interfaces.
#pragma once

#include <ns3/ptr.h>

#include <vector>

#include "ike_daemon.h"
#include "report.h"
#include "xfrm_stack.h"

namespace ipsecsim::harness {

// The node's Child SAs, one per xfrm state. `daemon` may be null (no pluto
// runs): the states are still listed, without their connection. `local` is
// the node's underlay address: a state to it is inbound.
std::vector<ChildSaView> ReadChildSas(const xfrm::XfrmStack& stack, const ike::IkeDaemon* daemon,
                                      const ns3::Address& local);
// The IKE SAs carrying the daemon's established connections.
std::vector<IkeSaView> ReadIkeSas(const ike::IkeDaemon& daemon);

}  // namespace ipsecsim::harness
