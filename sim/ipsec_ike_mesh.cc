#include "ipsec_ike_mesh.h"

#include <ns3/core-module.h>

#include "geneve_header.h"
#include "xfrm_helper.h"

namespace ipsecsim::sim {

using namespace ns3;

IkeMesh PrepareIkeMesh(ClusterWorld& world, const std::vector<ike::IkeIdentity>& identities,
                       const IkeMeshOptions& options) {
  IkeMesh mesh;
  NodeContainer hosts;
  for (uint32_t i = 0; i < world.NodeCount(); ++i) hosts.Add(world.Host(i));
  mesh.stacks = xfrm::XfrmHelper().Install(hosts);
  // Each kernel's seqiv salts: one stream per node, from the run's seed.
  for (uint32_t i = 0; i < mesh.stacks.size(); ++i) {
    mesh.stacks[i]->SetAttribute("SeqivSeed", UintegerValue(options.seed * 2654435761u + i + 1));
  }
  std::vector<std::string> ids;
  for (const ike::IkeIdentity& identity : identities) ids.push_back(identity.id);
  for (uint32_t i = 0; i < world.NodeCount(); ++i) {
    mesh.nodes.push_back(std::make_shared<NodeIpsec>(world, i, mesh.stacks[i], identities.at(i),
                                                     ids, options.seed, options.epochSeconds));
    mesh.nodes.back()->SetDaemonAttribute("NattKeepaliveInterval",
                                          TimeValue(Seconds(options.natKeepaliveSeconds)));
  }
  return mesh;
}

void StartIkeMesh(IkeMesh& mesh, const IkeMeshOptions& options) {
  const DaemonBehaviour& behaviour = options.behaviour;
  for (const auto& node : mesh.nodes) {
    node->StartDaemon(behaviour, false, Seconds(options.startSeconds));
    mesh.daemons.push_back(node->Daemon());
    mesh.monitors.push_back(node->Monitor());
  }
}

IkeMesh InstallIkeMesh(ClusterWorld& world, const std::vector<ike::IkeIdentity>& identities,
                       const IkeMeshOptions& options) {
  IkeMesh mesh = PrepareIkeMesh(world, identities, options);
  StartIkeMesh(mesh, options);
  return mesh;
}

}  // namespace ipsecsim::sim
