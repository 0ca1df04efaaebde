// The IPsec pods as each release's manifests have them: which pod flushes
// the kernel's xfrm state under which pluto, who restarts pluto, and when
// the operator applies, freezes, deletes or re-creates the DaemonSets.
#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "lifecycle_world.h"

using namespace ipsecsim;
using sim::LifecycleStep;
using sim::PairState;

namespace {

LifecycleStep Upgrade(const std::string& to) {
  LifecycleStep s;
  s.kind = LifecycleStep::Kind::kUpgrade;
  s.to = *sim::OcpVersion::Parse(to);
  return s;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Index of the first (or last) log line containing `part`; -1 if none.
long Find(const testing::LifecycleWorld& w, const std::string& part, bool last = false) {
  const auto& log = w.lifecycle->Log();
  long found = -1;
  for (size_t i = 0; i < log.size(); ++i) {
    if (!Has(log[i].text, part)) continue;
    found = long(i);
    if (!last) break;
  }
  return found;
}

size_t Count(const testing::LifecycleWorld& w, const std::string& part) {
  size_t n = 0;
  for (const auto& l : w.lifecycle->Log()) n += Has(l.text, part);
  return n;
}

std::unique_ptr<testing::LifecycleWorld> UpdateRun(const std::string& from, const std::string& to,
                                                   uint64_t seed = 1) {
  sim::LifecycleConfig config;
  auto w =
      std::make_unique<testing::LifecycleWorld>(2, 2, from, nlohmann::json::object(), config, seed);
  w->lifecycle->Install(0.1);
  w->sampler->Start(1, 1);
  w->lifecycle->RunProcedure({Upgrade(to)}, 30);
  w->RunUntil(1500);
  BOOST_TEST_REQUIRE(w->lifecycle->FinishedAt().has_value());
  return w;
}

}  // namespace

// release-4.14 ipsec-containerized.yaml: `rpm -q libreswan` finds the host's
// and the pod sleeps; only ovn-ipsec-host touches the kernel after a reboot.
BOOST_AUTO_TEST_CASE(the_4_14_containerized_pod_never_flushes_on_a_node_with_host_libreswan) {
  auto w = UpdateRun("4.14", "4.15.0");
  const auto& log = w->lifecycle->Log();
  for (uint32_t node = 0; node < 4; ++node) {
    const std::string name = w->world->NodeName(node) + ": ";
    bool rebooted = false;
    for (const auto& l : log) {
      if (!Has(l.text, name)) continue;
      if (Has(l.text, "with the ipsec extension")) rebooted = true;
      if (rebooted && Has(l.text, "ovn-ipsec-containerized"))
        BOOST_TEST(!Has(l.text, "flushes"), l.text);
    }
    BOOST_TEST(rebooted);
  }
  BOOST_TEST(Find(*w, "ovn-ipsec-containerized 4.14 pod: host has libreswan, sleep infinity") >= 0);
}

// The host pod of 4.15.0 flushes under the host's pluto and restarts it:
// every node's IKE daemon started twice (ipsec.service at boot, then the
// restart), and the flush is in the log before the restart.
BOOST_AUTO_TEST_CASE(the_4_15_0_host_pod_flushes_and_restarts_pluto_at_start) {
  sim::LifecycleConfig config;
  testing::LifecycleWorld w(2, 2, "4.15.0", nlohmann::json{{"mode", "Full"}}, config, 1);
  w.lifecycle->Install(0.1);
  w.RunUntil(120);
  for (uint32_t node = 0; node < 4; ++node) BOOST_TEST(w.mesh.nodes[node]->Starts() == 2u);
  const long flush = Find(w, "ovn-ipsec-host 4.15.0 pod flushes");
  const long restart = Find(w, "ovn-ipsec-host 4.15.0 pod: ipsec restart");
  BOOST_TEST(flush >= 0);
  BOOST_TEST(restart > flush);
  BOOST_TEST(Count(w, "flushes") == 4u);
}

// PR #2596 (4.15.42): no flush at start; pluto is still restarted.
BOOST_AUTO_TEST_CASE(a_z_stream_with_pr_2596_does_not_flush_at_start) {
  sim::LifecycleConfig config;
  testing::LifecycleWorld w(2, 2, "4.15.42", nlohmann::json{{"mode", "Full"}}, config, 1);
  w.lifecycle->Install(0.1);
  w.sampler->Start(1, 1);
  w.RunUntil(150);
  BOOST_TEST(Count(w, "flushes") == 0u);
  BOOST_TEST(Count(w, "ipsec restart") == 4u);
}

// 4.15.0 renders both IPsec DaemonSets create-wait while the extension is
// not active on every pool: the 4.14 pods keep running through the
// machine-config rollout, and only then is the containerized one deleted
// and the host one rolled to 4.15.
BOOST_AUTO_TEST_CASE(the_4_15_0_daemonsets_stay_frozen_until_every_pool_has_the_extension) {
  auto w = UpdateRun("4.14", "4.15.0");
  const long lastReady = Find(*w, "updated and ready", true);
  const long update = Find(*w, "operator updates DaemonSet ovn-ipsec-host to 4.15.0");
  const long del = Find(*w, "operator deletes DaemonSet ovn-ipsec-containerized");
  BOOST_TEST(Find(*w, "create-wait") >= 0);
  BOOST_TEST(lastReady >= 0);
  BOOST_TEST(update > lastReady);
  BOOST_TEST(del > lastReady);
  BOOST_TEST(w->lifecycle->DaemonSets() == std::vector<std::string>{"ovn-ipsec-host"});
  // No 4.15 pod ran before the freeze ended.
  const long first415 = Find(*w, "ovn-ipsec-host 4.15.0 pod");
  BOOST_TEST(first415 > lastReady);
}

// PR #2658 (4.15.49): both DaemonSets are applied at once; after the rollout
// the host pods start again without restarting pluto.
BOOST_AUTO_TEST_CASE(a_z_stream_with_pr_2658_applies_both_at_once_and_restarts_only_once) {
  auto w = UpdateRun("4.14", "4.15.49");
  const long firstReboot = Find(*w, ": reboot");
  BOOST_TEST(Find(*w, "create-wait") < 0);
  BOOST_TEST(Find(*w, "operator updates DaemonSet ovn-ipsec-containerized to 4.15.49") <
             firstReboot);
  // One ipsec restart per node (its first 4.15.49 host pod), none later.
  BOOST_TEST(Count(*w, "ovn-ipsec-host 4.15.49 pod: ipsec restart") == 4u);
  BOOST_TEST(Count(*w, "ipsec.service active, sleep infinity") >= 1u);
  BOOST_TEST(w->lifecycle->NbGlobalIpsec());
}

// The pool check of 4.15.25-4.15.48 (MachineCount == UpdatedMachineCount)
// deletes the host DaemonSet and turns NB_Global ipsec off while any pool
// rolls, and re-creates it on every node at once afterwards (c0a9387c4).
BOOST_AUTO_TEST_CASE(the_pool_count_condition_deletes_ipsec_during_a_z_stream_update) {
  auto defect = UpdateRun("4.15.30", "4.15.40");
  const long del = Find(*defect, "operator deletes DaemonSet ovn-ipsec-host");
  const long off = Find(*defect, "NB_Global ipsec=false");
  const long create = Find(*defect, "operator creates DaemonSet ovn-ipsec-host");
  BOOST_TEST(del >= 0);
  BOOST_TEST(off >= 0);
  BOOST_TEST(create > Find(*defect, "updated and ready", true));
  BOOST_TEST(defect->lifecycle->NbGlobalIpsec());
  // Before #2439 (4.15.24) the pools' progress does not touch the DaemonSet.
  auto before = UpdateRun("4.15.20", "4.15.24");
  BOOST_TEST(Find(*before, "operator deletes DaemonSet") < 0);
  BOOST_TEST(Find(*before, "NB_Global ipsec=false") < 0);
  // While NB_Global ipsec is off the pairs go in clear.
  bool clearSeen = false;
  for (const auto& p : defect->sampler->Pairs())
    for (const auto& i : p.intervals) clearSeen |= i.state == PairState::kClear;
  BOOST_TEST(clearSeen);
}

// Enabling on 4.15.0: the operator waits for the extension on every pool,
// then creates ovn-ipsec-host everywhere at once.
BOOST_AUTO_TEST_CASE(enable_on_4_15_0_creates_the_host_daemonset_everywhere_at_once) {
  sim::LifecycleConfig config;
  testing::LifecycleWorld w(2, 2, "4.15.0", nullptr, config, 1);
  w.lifecycle->Install(0.1);
  w.lifecycle->RunProcedure({testing::EnableFull()}, 20);
  w.RunUntil(1200);
  BOOST_TEST_REQUIRE(w.lifecycle->FinishedAt().has_value());
  BOOST_TEST(Find(w, "operator creates DaemonSet ovn-ipsec-host") >
             Find(w, "updated and ready", true));
  BOOST_TEST(Count(w, "ovn-ipsec-host 4.15.0 pod: ipsec restart") == 4u);
}

namespace {

struct CrossingOutcome {
  size_t notUp = 0;
  uint64_t crossingYields = 0;
};

// A 4.14 install: every node's containerized pod starts its pluto within
// `spread` seconds of the others, and both ends start both connections.
CrossingOutcome InstallAllAtOnce(int nodes, sim::Libreswan build, uint64_t seed,
                                 double spread = 4) {
  sim::LifecycleConfig config;
  config.libreswan = build;
  config.timing.podStartJitterSeconds = spread;
  testing::LifecycleWorld w(std::min(nodes, 3), nodes - std::min(nodes, 3), "4.14",
                            nlohmann::json::object(), config, seed);
  w.lifecycle->Install(0.1);
  w.sampler->Start(1, 5);
  w.RunUntil(120);
  CrossingOutcome o;
  o.notUp = w.sampler->Pairs().size() - w.PairsIn(PairState::kUp);
  for (const auto& node : w.mesh.nodes) o.crossingYields += node->TotalCounters().crossingYields;
  return o;
}

}  // namespace

// libreswan #1903's situation at 3 nodes, every pluto started at the same
// instant: with 4.6 crossed initiations leave pairs without their SAs; with
// 5.x none is left.
BOOST_AUTO_TEST_CASE(crossing_streams_small_case_defective_and_fixed_libreswan) {
  size_t notUp = 0;
  uint64_t yields = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const CrossingOutcome defect = InstallAllAtOnce(3, sim::Libreswan::k4_6, seed, 0);
    notUp += defect.notUp;
    yields += defect.crossingYields;
  }
  BOOST_TEST(notUp >= 1u);
  BOOST_TEST(yields >= notUp);
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const CrossingOutcome fixed = InstallAllAtOnce(3, sim::Libreswan::k5, seed, 0);
    BOOST_TEST(fixed.notUp == 0u);
    BOOST_TEST(fixed.crossingYields == 0u);
  }
}
