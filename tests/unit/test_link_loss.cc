// Loss amplification: with per-packet loss p on the underlay, a datagram the
// pod splits into k pieces (each its own Geneve packet) arrives only if all k
// do, so its delivered fraction follows (1-p)^k. The losses come from
// seeded ns-3 RNG streams: the same seed gives the same report.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "report.h"
#include "runner.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

const char* kYaml = R"(
name: loss-test
seed: 9
cluster:
  link_loss: 0.05
  pools: [{name: worker, nodes: 2}]
pods:
  - {name: a, node: worker-0}
  - {name: b, node: worker-1}
flows:
  - {name: whole, from: a, to: b, protocol: udp, port: 8080, packets: 1000, size: 500, interval: 1ms}
  - {name: in-3-pieces, from: a, to: b, protocol: udp, port: 8081, packets: 1000, size: 4000, interval: 1ms}
)";

double Delivered(const RunReport& r, const std::string& flow) {
  const FlowResult* f = r.FindFlow(flow);
  BOOST_REQUIRE(f);
  return double(f->delivered) / double(f->sent);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(link_loss)

BOOST_AUTO_TEST_CASE(fragmented_datagrams_are_lost_k_times_as_often) {
  const RunReport r = RunScenario(LoadScenarioText(kYaml, "loss.yaml"), RunOptions{});
  const double p = 0.05;
  const double whole = Delivered(r, "whole"), pieces = Delivered(r, "in-3-pieces");
  // 1000 trials each: binomial standard deviation is under 0.012.
  BOOST_TEST(std::abs(whole - (1 - p)) < 0.04, "whole " << whole);
  BOOST_TEST(std::abs(pieces - std::pow(1 - p, 3)) < 0.05, "pieces " << pieces);
  BOOST_TEST(pieces < whole);
  BOOST_TEST(r.linkLoss == p);
}

BOOST_AUTO_TEST_CASE(the_same_seed_loses_the_same_packets) {
  const Scenario sc = LoadScenarioText(kYaml, "loss.yaml");
  const RunReport a = RunScenario(sc, RunOptions{});
  const RunReport b = RunScenario(sc, RunOptions{});
  BOOST_TEST(FormatJsonReport(a) == FormatJsonReport(b));
  RunOptions other;
  other.seed = 10;
  BOOST_TEST(RunScenario(sc, other).FindFlow("whole")->delivered != a.FindFlow("whole")->delivered);
}

BOOST_AUTO_TEST_CASE(loss_is_validated) {
  std::string bad = kYaml;
  bad.replace(bad.find("0.05"), 4, "0.7");
  try {
    LoadScenarioText(bad, "loss.yaml");
    BOOST_ERROR("0.7 accepted");
  } catch (const ScenarioError& e) {
    BOOST_TEST(std::string(e.what()).find("loss.yaml:5: cluster.link_loss") == 0u, e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
