// The underlay switch knows every node's MAC from the start: in a one-way
// flow with IPsec Disabled (the receiver never sends a frame) only the
// destination's switch port transmits the flow's frames, from the first one
// on, and long after ns-3's learning bridge would have aged its entries out
// (300 s). Frames are counted with the CSMA devices' MacTx trace source.
#include <ns3/core-module.h>
#include <ns3/csma-module.h>
#include <ns3/network-module.h>

#include <boost/test/unit_test.hpp>
#include <vector>

#include "cluster_world.h"
#include "traffic.h"

using namespace ipsecsim;

namespace {

constexpr uint32_t kNodes = 20;
constexpr uint32_t kFrom = 3, kTo = 17;

struct Counts {
  std::vector<uint64_t> portTx = std::vector<uint64_t>(kNodes, 0);  // frames each port sent
  uint64_t delivered = 0;
};

void CountTx(uint64_t* n, ns3::Ptr<const ns3::Packet>) { ++*n; }

// Two bursts of 20 datagrams, at 1 s and at 400 s: the second after the
// 300 s a learning bridge keeps an entry.
Counts Run() {
  ns3::Names::Clear();
  sim::WorldConfig config;
  for (uint32_t i = 0; i < kNodes; ++i) config.nodeNames.push_back("worker-" + std::to_string(i));
  sim::ClusterWorld world(config);
  const sim::Endpoint a = world.AddClusterPod(kFrom);
  const sim::Endpoint b = world.AddClusterPod(kTo);
  Counts c;
  for (uint32_t i = 0; i < kNodes; ++i) {
    world.SwitchPort(i)->TraceConnectWithoutContext("MacTx",
                                                    ns3::MakeBoundCallback(&CountTx, &c.portTx[i]));
  }
  sim::TrafficManager traffic;
  for (int burst = 0; burst < 2; ++burst) {
    sim::FlowPlan plan;
    plan.index = burst;
    plan.from = a.node;
    plan.to = b.node;
    plan.toAddress = b.address;
    plan.port = uint16_t(8080 + burst);
    plan.packets = 20;
    plan.size = 200;
    plan.startSeconds = burst == 0 ? 1.0 : 400.0;
    plan.intervalSeconds = 0.01;
    traffic.Add(plan);
  }
  ns3::Simulator::Stop(ns3::Seconds(402));
  ns3::Simulator::Run();
  c.delivered = traffic.Tally(0).delivered + traffic.Tally(1).delivered;
  ns3::Simulator::Destroy();
  ns3::Names::Clear();
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(underlay_switch)

BOOST_AUTO_TEST_CASE(a_one_way_flow_leaves_only_through_the_destinations_port) {
  const Counts c = Run();
  BOOST_TEST(c.delivered == 40u);
  for (uint32_t i = 0; i < kNodes; ++i) {
    BOOST_TEST_CONTEXT("switch port of worker-" << i) {
      BOOST_TEST(c.portTx[i] == (i == kTo ? 40u : 0u));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
