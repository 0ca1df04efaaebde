// Rollouts: the Machine Config Operator updates one node per pool at a time
// by default, so enabling IPsec on 4.15 (the extension reboots every node)
// takes time linear in the pool size; disabling leaves no xfrm state or
// policy behind.
#include <boost/test/unit_test.hpp>

#include "lifecycle_world.h"

using namespace ipsecsim;
using sim::LifecycleStep;

namespace {

const char kEnable[] =
    R"({"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{"mode":"Full"}}}}})";
const char kDisable[] =
    R"([{"op":"remove","path":"/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig"}])";

LifecycleStep Patch(LifecycleStep::Kind kind, const std::string& body) {
  LifecycleStep s;
  s.kind = kind;
  s.body = body;
  return s;
}

// Seconds the enable procedure took on 1 master and `workers` workers.
double EnableRollout(int workers, int maxUnavailable) {
  sim::LifecycleConfig config;
  config.timing.rebootJitterSeconds = 0;
  config.timing.podStartJitterSeconds = 0;
  config.timing.mcoMaxUnavailable = maxUnavailable;
  testing::LifecycleWorld w(1, workers, "4.15", nullptr, config, 3);
  w.lifecycle->Install(0.1);
  w.lifecycle->RunProcedure({Patch(LifecycleStep::Kind::kMergePatch, kEnable)}, 10);
  w.RunUntil(10 + 200.0 * (workers + 2));
  BOOST_TEST_REQUIRE(w.lifecycle->FinishedAt().has_value());
  BOOST_TEST(w.lifecycle->Reboots() == uint32_t(1 + workers));
  return w.lifecycle->RolloutSeconds();
}

}  // namespace

BOOST_AUTO_TEST_CASE(rollout_time_grows_linearly_with_the_pool) {
  const sim::RolloutTiming t;
  const double perNode = t.drainSeconds + t.rebootSeconds + t.readySeconds;
  const double two = EnableRollout(2, 1), four = EnableRollout(4, 1), eight = EnableRollout(8, 1);
  BOOST_TEST(four - two == 2 * perNode, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(eight - four == 4 * perNode, boost::test_tools::tolerance(1e-6));
  // Two nodes of the pool at a time: half the steps.
  BOOST_TEST(EnableRollout(8, 2) - EnableRollout(4, 2) == 2 * perNode,
             boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(disabling_leaves_no_state_or_policy_behind) {
  sim::LifecycleConfig config;
  testing::LifecycleWorld w(1, 3, "4.15", nlohmann::json{{"mode", "Full"}}, config, 2);
  w.lifecycle->Install(0.1);
  w.sampler->Start(1, 1);
  w.lifecycle->RunProcedure({Patch(LifecycleStep::Kind::kJsonPatch, kDisable)}, 40);
  bool allUpBefore = false;
  ns3::Simulator::Schedule(ns3::Seconds(39), [&] {
    allUpBefore = true;
    for (const auto& p : w.sampler->Pairs())
      allUpBefore &= p.intervals.back().state == sim::PairState::kUp;
  });
  w.RunUntil(800);
  BOOST_TEST(allUpBefore);
  BOOST_TEST(!w.lifecycle->NbGlobalIpsec());
  BOOST_TEST(w.lifecycle->DaemonSets().empty());
  for (const auto& node : w.mesh.nodes) {
    BOOST_TEST(node->Stack()->States().Size() == 0u);
    BOOST_TEST(node->Stack()->Policies().Size() == 0u);
    BOOST_TEST(!node->Running());
  }
  BOOST_TEST(w.PairsIn(sim::PairState::kClear) == w.sampler->Pairs().size());
}
