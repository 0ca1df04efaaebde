// What the documented "delete the IPsec DaemonSets" step changes in the
// 4.14 -> 4.15 procedure: the 4.15.0 operator's shouldRenderIPsec sees the
// left-over 4.14 DaemonSets as a legacy update and turns IPsec on at the
// enable, while the nodes' own pods bring it back node by node; after the
// delete it waits for the extension everywhere and starts every node's host
// pod at once.
#include <boost/test/unit_test.hpp>
#include <string>

#include "runner.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

RunReport Run(const std::string& name) {
  const RunReport r = RunScenario(LoadScenarioFile("scenarios/" + name + ".yaml"), RunOptions{});
  BOOST_TEST(r.AllExpectationsPass(), name);
  return r;
}

double First(const RunReport& r, const std::string& text) {
  for (const LifecycleEventLine& e : r.lifecycle->events)
    if (e.text.find(text) != std::string::npos) return e.seconds;
  throw std::runtime_error("never logged: " + text);
}

double Last(const RunReport& r, const std::string& text) {
  double at = -1;
  for (const LifecycleEventLine& e : r.lifecycle->events)
    if (e.text.find(text) != std::string::npos) at = e.seconds;
  BOOST_REQUIRE(at >= 0);
  return at;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lifecycle_delete_step)

BOOST_AUTO_TEST_CASE(with_the_delete_ipsec_returns_on_every_node_at_once) {
  const RunReport r = Run("lifecycle-upgrade-safe-procedure");
  const double on = Last(r, "NB_Global ipsec=true");
  BOOST_TEST(on == First(r, "operator creates DaemonSet ovn-ipsec-host"));
  BOOST_TEST(on >= Last(r, "updated and ready"));  // after the last reboot
  BOOST_TEST(r.lifecycle->podStarts == 18u);
}

BOOST_AUTO_TEST_CASE(without_it_ipsec_returns_node_by_node_through_the_old_pods) {
  const RunReport r = Run("lifecycle-upgrade-safe-procedure-without-delete");
  const double on = Last(r, "NB_Global ipsec=true");
  // At the enable, before the first node has rebooted into the extension.
  BOOST_TEST(on < First(r, "with the ipsec extension"));
  BOOST_TEST(on < First(r, "operator deletes DaemonSet ovn-ipsec-containerized"));
  BOOST_TEST(First(r, "ovn-ipsec-host 4.14 pod runs ovs-monitor-ipsec") > on);
  BOOST_TEST(r.lifecycle->podStarts == 42u);
  BOOST_TEST(r.lifecycle->brokenPairs == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
