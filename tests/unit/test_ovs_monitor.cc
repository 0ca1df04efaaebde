// ovs-monitor-ipsec's reconciliation on the simulated cluster: a peer that is
// unreachable when IPsec is enabled makes the first negotiations give up;
// the 15 s reconciliation brings the connections up once the peer is back,
// before any traffic asks for them. Without it they stay failed.
#include <ns3/core-module.h>
#include <ns3/network-module.h>

#include <boost/test/unit_test.hpp>

#include "cluster_certificates.h"
#include "cluster_world.h"
#include "ipsec_ike_mesh.h"

using namespace ipsecsim;
using ike::ConnectionState;

namespace {

struct Outcome {
  ConnectionState out = ConnectionState::kDown;  // worker-0's "out" connection to worker-1
  uint64_t restarted = 0;
  uint64_t broughtUp = 0;
};

// worker-1's link drops every frame until `backAt`.
Outcome Run(double reconcileSeconds, double backAt, double checkAt) {
  ns3::Names::Clear();
  const std::vector<std::string> names = {"worker-0", "worker-1"};
  harness::ClusterCertificates certs(5);
  harness::IssueClusterCertificates(names, 5, &certs);
  sim::WorldConfig config;
  config.nodeNames = names;
  sim::ClusterWorld world(config);
  std::vector<ike::IkeIdentity> ids;
  for (const auto& n : certs.nodes) {
    ids.push_back({n.IkeId(), *n.Cert(), n.Key(), certs.signer.Bundle()});
  }
  sim::IkeMeshOptions options;
  options.seed = 5;
  options.epochSeconds = harness::kInstallEpoch;
  options.behaviour.reconcileSeconds = reconcileSeconds;
  sim::IkeMesh mesh = sim::InstallIkeMesh(world, ids, options);

  auto cut = ns3::CreateObject<ns3::RateErrorModel>();
  cut->SetAttribute("ErrorRate", ns3::DoubleValue(1.0));
  cut->SetAttribute("ErrorUnit", ns3::StringValue("ERROR_UNIT_PACKET"));
  world.Nic(1)->SetAttribute("ReceiveErrorModel", ns3::PointerValue(cut));
  world.SwitchPort(1)->SetAttribute("ReceiveErrorModel", ns3::PointerValue(cut));
  ns3::Simulator::Schedule(ns3::Seconds(backAt), [cut] { cut->Disable(); });

  Outcome o;
  ns3::Simulator::Schedule(ns3::Seconds(checkAt), [&] {
    o.out = mesh.daemons[0]->Status("worker-0-out-worker-1").state;
    o.restarted = mesh.monitors[0]->GetCounters().restarted;
    o.broughtUp = mesh.monitors[0]->GetCounters().broughtUp;
  });
  ns3::Simulator::Stop(ns3::Seconds(checkAt + 0.1));
  ns3::Simulator::Run();
  ns3::Simulator::Destroy();
  ns3::Names::Clear();
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ovs_monitor)

BOOST_AUTO_TEST_CASE(reconciliation_brings_connections_up_after_the_peer_returns) {
  const Outcome with = Run(15, 40, 50);
  BOOST_TEST(ConnectionStateName(with.out) == std::string("up"));
  BOOST_TEST(with.restarted + with.broughtUp >= 1u);
}

BOOST_AUTO_TEST_CASE(without_reconciliation_the_connection_stays_down) {
  const Outcome without = Run(0, 40, 50);
  BOOST_TEST(ConnectionStateName(without.out) != std::string("up"));
  BOOST_TEST(without.restarted + without.broughtUp == 0u);
}

BOOST_AUTO_TEST_CASE(a_reachable_peer_needs_no_reconciliation) {
  const Outcome quiet = Run(15, 0, 50);
  BOOST_TEST(ConnectionStateName(quiet.out) == std::string("up"));
  BOOST_TEST(quiet.restarted + quiet.broughtUp == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
