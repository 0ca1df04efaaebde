// Machine-config pools: each pool's maxUnavailable sets how many of its
// nodes reboot at once, so a rollout takes ceil(pool size / maxUnavailable)
// node updates in a row; `oc get mcp`'s counts follow the nodes' updates;
// a wait step waits for Updated=True, or times out.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <map>
#include <regex>

#include "lifecycle_world.h"

using namespace ipsecsim;
using sim::LifecycleStep;
using sim::MaxUnavailable;
using testing::EnableFull;

namespace {

LifecycleStep WaitPools(double timeout, std::vector<std::string> pools = {}) {
  LifecycleStep s;
  s.kind = LifecycleStep::Kind::kWaitPools;
  s.timeoutSeconds = timeout;
  s.names = std::move(pools);
  return s;
}

sim::LifecycleConfig Timing(MaxUnavailable global = 1) {
  sim::LifecycleConfig config;
  config.timing.rebootJitterSeconds = 0;
  config.timing.podStartJitterSeconds = 0;
  config.timing.mcoMaxUnavailable = global;
  return config;
}

double PerNode() {
  const sim::RolloutTiming t;
  return t.drainSeconds + t.rebootSeconds + t.readySeconds;
}

struct Rollout {
  double seconds = 0;
  // The most nodes of each pool that were unavailable at one moment.
  std::map<std::string, int> mostUnavailable;
};

// Enables IPsec on `masters` + `workers` nodes (the extension reboots
// each) with these pools' maxUnavailable; the pools are read every second.
Rollout Roll(int masters, int workers, std::optional<MaxUnavailable> master,
             std::optional<MaxUnavailable> worker, MaxUnavailable global = 1) {
  sim::LifecycleConfig config = Timing(global);
  config.poolMaxUnavailable = {master, worker};
  testing::LifecycleWorld w(masters, workers, "4.15", nullptr, config, 3);
  w.lifecycle->Install(0.1);
  w.lifecycle->RunProcedure({EnableFull()}, 10);
  Rollout r;
  const double end = 10 + 200.0 * (masters + workers + 2);
  for (double t = 11; t < end; t += 1) {
    ns3::Simulator::Schedule(ns3::Seconds(t), [&] {
      for (const sim::PoolStatus& p : w.lifecycle->PoolStatuses())
        r.mostUnavailable[p.name] = std::max(r.mostUnavailable[p.name], p.unavailableMachineCount);
    });
  }
  w.RunUntil(end);
  BOOST_TEST_REQUIRE(w.lifecycle->FinishedAt().has_value());
  BOOST_TEST(w.lifecycle->Reboots() == uint32_t(masters + workers));
  r.seconds = w.lifecycle->RolloutSeconds();
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(max_unavailable_scales_as_the_mco_does) {
  BOOST_TEST(sim::ScaledMaxUnavailable(2, 6) == 2);
  BOOST_TEST(sim::ScaledMaxUnavailable(0, 6) == 1);  // "it will default back to 1"
  BOOST_TEST(sim::ScaledMaxUnavailable(MaxUnavailable::Percent(50), 6) == 3);
  BOOST_TEST(sim::ScaledMaxUnavailable(MaxUnavailable::Percent(34), 6) == 2);  // rounds down
  BOOST_TEST(sim::ScaledMaxUnavailable(MaxUnavailable::Percent(10), 6) == 1);  // 0 -> 1
  BOOST_TEST(sim::ScaledMaxUnavailable(MaxUnavailable::Percent(100), 6) == 6);
}

BOOST_AUTO_TEST_CASE(per_pool_max_unavailable_sets_the_rollout_time) {
  // One master, six workers: the worker pool is the longer one, and takes
  // ceil(6 / maxUnavailable) node updates in a row.
  const double one = Roll(1, 6, std::nullopt, 1).seconds;
  const std::vector<std::pair<MaxUnavailable, int>> cases = {{2, 3},
                                                             {3, 2},
                                                             {6, 1},
                                                             {0, 6},
                                                             {MaxUnavailable::Percent(50), 2},
                                                             {MaxUnavailable::Percent(34), 3},
                                                             {MaxUnavailable::Percent(10), 6}};
  for (const auto& [worker, batches] : cases) {
    const int scaled = sim::ScaledMaxUnavailable(worker, 6);
    BOOST_TEST(batches == int(std::ceil(6.0 / scaled)));
    const Rollout r = Roll(1, 6, std::nullopt, worker);
    BOOST_TEST_INFO("worker maxUnavailable " << worker.ToString());
    BOOST_TEST(one - r.seconds == (6 - batches) * PerNode(), boost::test_tools::tolerance(1e-6));
    BOOST_TEST(r.mostUnavailable.at("worker") == scaled);
    BOOST_TEST(r.mostUnavailable.at("master") == 1);
  }
}

BOOST_AUTO_TEST_CASE(each_pool_uses_its_own_max_unavailable) {
  // Three masters and six workers, 3 workers at a time: with the global 1
  // the masters take 3 updates in a row, longer than the workers' 2; with
  // the master pool's own 3, both take 1 and 2, so the workers decide.
  const Rollout global = Roll(3, 6, std::nullopt, 3);
  const Rollout own = Roll(3, 6, 3, 3);
  BOOST_TEST(global.mostUnavailable.at("master") == 1);
  BOOST_TEST(own.mostUnavailable.at("master") == 3);
  BOOST_TEST(global.seconds - own.seconds == (3 - 2) * PerNode(),
             boost::test_tools::tolerance(1e-6));
  // The global value is every pool's default.
  BOOST_TEST(Roll(3, 6, std::nullopt, std::nullopt, 3).seconds == own.seconds,
             boost::test_tools::tolerance(1e-6));
}

// UPDATEDMACHINECOUNT from the nodes themselves: those whose last MCO event
// since `since` is "updated and ready".
int UpdatedSince(const testing::LifecycleWorld& w, const std::string& pool, double since,
                 double until) {
  std::map<int, bool> updated;
  for (const auto& l : w.lifecycle->Log()) {
    if (l.node < 0 || l.seconds < since || l.seconds > until) continue;
    if (w.world->NodeName(uint32_t(l.node)).rfind(pool + "-", 0) != 0) continue;
    if (l.text.find("cordon and drain") != std::string::npos) updated[l.node] = false;
    if (l.text.find("updated and ready") != std::string::npos) updated[l.node] = true;
  }
  int n = 0;
  for (const auto& [node, yes] : updated) n += yes;
  return n;
}

BOOST_AUTO_TEST_CASE(the_table_follows_the_nodes) {
  sim::LifecycleConfig config = Timing();
  testing::LifecycleWorld w(1, 3, "4.15", nullptr, config, 5);
  w.lifecycle->Install(0.1);
  // The enable returns at once; the wait step ends when the pools do.
  w.lifecycle->RunProcedure({EnableFull(false), WaitPools(3600)}, 10);
  struct Seen {
    double at;
    std::vector<sim::PoolStatus> pools;
  };
  std::vector<Seen> seen;
  for (double t = 11; t < 1200; t += 7) {
    ns3::Simulator::Schedule(ns3::Seconds(t), [&, t] {
      seen.push_back({t, w.lifecycle->PoolStatuses()});
    });
  }
  w.RunUntil(1200);
  const auto& snapshots = w.lifecycle->PoolSnapshots();
  BOOST_TEST_REQUIRE(snapshots.size() == 3u);  // install, step 1, step 2
  const std::regex rendered("rendered-(master|worker)-[0-9a-f]{32}");
  const sim::PoolStatus& installed = snapshots[0].pools[1];
  BOOST_TEST(snapshots[0].step == "install");
  BOOST_TEST(std::regex_match(installed.configuration, rendered));
  BOOST_TEST(installed.updated);
  BOOST_TEST(installed.updatedMachineCount == 3);
  BOOST_TEST(snapshots[0].pools[0].configuration != installed.configuration);
  // Right after the patch: a new target, nothing updated to it yet, and
  // CONFIG still the installed one.
  const sim::PoolStatus& patched = snapshots[1].pools[1];
  BOOST_TEST(!patched.updated);
  BOOST_TEST(patched.updating);
  BOOST_TEST(!patched.degraded);
  BOOST_TEST(patched.configuration == installed.configuration);
  BOOST_TEST(patched.target != installed.configuration);
  BOOST_TEST(patched.updatedMachineCount == 0);
  BOOST_TEST(patched.readyMachineCount == 0);
  BOOST_TEST(patched.machineCount == 3);
  // After the wait: every machine on the new config, and CONFIG with it.
  const sim::PoolStatus& done = snapshots[2].pools[1];
  BOOST_TEST(done.updated);
  BOOST_TEST(!done.updating);
  BOOST_TEST(done.configuration == patched.target);
  BOOST_TEST(done.updatedMachineCount == 3);
  BOOST_TEST(done.readyMachineCount == 3);
  BOOST_TEST(done.degradedMachineCount == 0);
  // In between, the counts are the nodes that have come back updated.
  bool sawPartial = false;
  for (const Seen& s : seen) {
    for (size_t i = 0; i < s.pools.size(); ++i) {
      const sim::PoolStatus& p = s.pools[i];
      const int fromNodes = UpdatedSince(w, p.name, snapshots[1].seconds, s.at);
      BOOST_TEST_INFO(p.name << " at " << s.at);
      BOOST_TEST(p.updatedMachineCount == fromNodes);
      BOOST_TEST(p.readyMachineCount == fromNodes);
      BOOST_TEST(p.updated == (fromNodes == p.machineCount));
      BOOST_TEST(p.configuration == (p.updated ? p.target : snapshots[1].pools[i].configuration));
      sawPartial |= fromNodes > 0 && fromNodes < p.machineCount;
    }
  }
  BOOST_TEST(sawPartial);
}

BOOST_AUTO_TEST_CASE(the_wait_step_waits_for_updated) {
  sim::LifecycleConfig config = Timing();
  testing::LifecycleWorld w(1, 3, "4.15", nullptr, config, 5);
  w.lifecycle->Install(0.1);
  w.lifecycle->RunProcedure({EnableFull(false), WaitPools(3600, {"worker"})}, 10);
  w.RunUntil(1200);
  const auto& waits = w.lifecycle->PoolWaits();
  BOOST_TEST_REQUIRE(waits.size() == 1u);
  BOOST_TEST(!waits[0].timedOut);
  BOOST_TEST(waits[0].started == 10.0, boost::test_tools::tolerance(1e-6));
  double lastWorkerReady = 0;
  for (const auto& l : w.lifecycle->Log())
    if (l.text.rfind("worker-", 0) == 0 && l.text.find("updated and ready") != std::string::npos)
      lastWorkerReady = l.seconds;
  // It ends when the last worker is ready: three in a row, at least.
  BOOST_TEST(waits[0].ended == lastWorkerReady, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(waits[0].ended - waits[0].started >= 3 * PerNode());
  BOOST_TEST_REQUIRE(waits[0].pools.size() == 1u);
  BOOST_TEST(waits[0].pools[0].name == "worker");
  BOOST_TEST(waits[0].pools[0].updated);
  BOOST_TEST(*w.lifecycle->FinishedAt() == waits[0].ended, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(a_wait_that_times_out_stops_the_procedure) {
  sim::LifecycleConfig config = Timing();
  testing::LifecycleWorld w(1, 3, "4.15", nullptr, config, 5);
  w.lifecycle->Install(0.1);
  LifecycleStep later = WaitPools(3600);
  w.lifecycle->RunProcedure({EnableFull(false), WaitPools(200), later}, 10);
  w.RunUntil(1200);
  const auto& waits = w.lifecycle->PoolWaits();
  BOOST_TEST_REQUIRE(waits.size() == 1u);  // the third step never ran
  BOOST_TEST(waits[0].timedOut);
  BOOST_TEST(waits[0].ended - waits[0].started == 200.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(*w.lifecycle->FinishedAt() == waits[0].ended, boost::test_tools::tolerance(1e-9));
  int notUpdated = 0;
  for (const sim::PoolStatus& p : waits[0].pools) notUpdated += !p.updated;
  BOOST_TEST(notUpdated == 1);  // 200 s: the single master is done, the workers are not
  // The rollout itself goes on: every node ends on the new config.
  for (const sim::PoolStatus& p : w.lifecycle->PoolStatuses()) BOOST_TEST(p.updated);
  BOOST_TEST(w.lifecycle->Reboots() == 4u);
}

BOOST_AUTO_TEST_CASE(a_step_after_an_unwaited_one_waits_for_its_rollouts) {
  sim::LifecycleConfig config = Timing();
  testing::LifecycleWorld w(1, 2, "4.15", nullptr, config, 5);
  w.lifecycle->Install(0.1);
  LifecycleStep disable;
  disable.kind = LifecycleStep::Kind::kJsonPatch;
  disable.body =
      R"([{"op":"remove","path":"/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig"}])";
  w.lifecycle->RunProcedure({EnableFull(false), disable}, 10);
  w.RunUntil(2000);
  double enabledAll = 0, disableStarted = 0;
  int ready = 0;
  for (const auto& l : w.lifecycle->Log()) {
    if (l.text.find("updated and ready") != std::string::npos && ++ready == 3)
      enabledAll = l.seconds;
    if (l.text.find("--type=json") != std::string::npos) disableStarted = l.seconds;
  }
  BOOST_TEST(enabledAll > 10.0);
  BOOST_TEST(disableStarted >= enabledAll);
  BOOST_TEST(w.lifecycle->Reboots() == 6u);  // each node once per step
}
