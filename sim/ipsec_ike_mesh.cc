#include "ipsec_ike_mesh.h"

#include <ns3/core-module.h>

#include "geneve_header.h"
#include "xfrm_helper.h"

namespace ipsecsim::sim {

using namespace ns3;

namespace {

ike::ConnectionConfig GeneveConnection(const ClusterWorld& world, uint32_t local, uint32_t remote,
                                       bool out, const std::string& remoteId) {
  ike::ConnectionConfig c;
  c.name = world.NodeName(local) + (out ? "-out-" : "-in-") + world.NodeName(remote);
  c.localAddress = world.NodeIp(local).Get();
  c.remoteAddress = world.ReachableAddress(remote).Get();  // a NAT's public address
  c.remoteId = remoteId;
  c.protocol = 17;
  const ike::PortSpan geneve = ike::PortSpan::Single(geneve::kUdpPort);
  c.localPorts = out ? ike::PortSpan::Any() : geneve;
  c.remotePorts = out ? geneve : ike::PortSpan::Any();
  return c;
}

}  // namespace

IkeMesh InstallIkeMesh(ClusterWorld& world, const std::vector<ike::IkeIdentity>& identities,
                       const IkeMeshOptions& options) {
  IkeMesh mesh;
  NodeContainer hosts;
  for (uint32_t i = 0; i < world.NodeCount(); ++i) hosts.Add(world.Host(i));
  mesh.stacks = xfrm::XfrmHelper().Install(hosts);
  for (uint32_t i = 0; i < world.NodeCount(); ++i) {
    Ptr<ike::IkeDaemon> d = CreateObject<ike::IkeDaemon>();
    d->SetAttribute("EpochSeconds", IntegerValue(options.epochSeconds));
    d->SetAttribute("Seed", UintegerValue(options.seed * 1000003u + i));
    d->SetAttribute("ForceEncapsulation", BooleanValue(options.forceEncapsulation));
    d->Start(world.Host(i), identities.at(i));
    mesh.daemons.push_back(d);
  }
  const bool startIn = options.initiation == InitiationPolicy::kBoth;
  for (uint32_t a = 0; a < world.NodeCount(); ++a) {
    auto monitor =
        std::make_shared<OvsMonitorIpsec>(mesh.daemons[a], Seconds(options.reconcileSeconds));
    for (uint32_t b = 0; b < world.NodeCount(); ++b) {
      if (a == b) continue;
      const std::string& peer = identities.at(b).id;
      // A node behind a NAT starts both connections to a peer outside it; the
      // peer only loads its own (it cannot open the NAT's mapping).
      const bool natPeer = world.BehindNat(b) && !world.BehindNat(a);
      monitor->Add(GeneveConnection(world, a, b, true, peer), !natPeer);
      monitor->Add(GeneveConnection(world, a, b, false, peer), startIn || world.BehindNat(a));
    }
    monitor->Start(Seconds(options.startSeconds));
    mesh.monitors.push_back(monitor);
  }
  return mesh;
}

}  // namespace ipsecsim::sim
