// Linux TCP never IP-fragments its own segments: across the reference
// scenarios with TCP flows on an IPv4 underlay, no TCP flow's packets are IP
// fragments, and every delivered TCP flow delivers all its bytes. On IPv6
// underlays the host may fragment the ESP packet carrying a segment (the
// tunnel's packet, not TCP's), so only delivery is checked there.
#include <boost/test/unit_test.hpp>

#include "runner.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {
std::string ScenarioPath(const std::string& name) {
  return std::string(IPSECSIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(tcp_segments)

BOOST_AUTO_TEST_CASE(no_tcp_flow_of_a_reference_scenario_fragments) {
  for (const char* name :
       {"flow-matrix", "flow-matrix-ipsec-off", "ibmcloud-full", "mtu-ipsec-1460-gcp",
        "mtu-ipsec-1500-reduced", "mtu-ipsec-1500-unreduced", "mtu-ipsec-9000-unreduced",
        "mtu-ipsec-9001-aws", "mtu-natt-1500-unreduced-ibmcloud", "mtu-natt-9001-unreduced",
        "nat-natt", "firewall-esp-blocked-always", "flow-matrix-ipv6",
        "mtu-ipsec-ipv6-1500-reduced", "mtu-natt-ipv6-1500-reduced"}) {
    const Scenario sc = LoadScenarioFile(ScenarioPath(name));
    const RunReport r = RunScenario(sc, RunOptions{});
    const bool ipv6 = sc.cluster.ipFamily == IpFamily::kIpv6;
    size_t tcpFlows = 0;
    for (const FlowResult& f : r.flows) {
      if (f.protocol != "tcp" || f.verdict == "dropped") continue;
      ++tcpFlows;
      BOOST_TEST_CONTEXT(name << " " << f.name) {
        if (!ipv6) BOOST_TEST(f.wire.fragments == 0u);
        BOOST_TEST(f.bytesDelivered == f.bytesSent);
        if (!ipv6) BOOST_TEST(f.wire.largestPacket <= uint64_t(sc.cluster.hostMtu));
      }
    }
    BOOST_TEST_CONTEXT(name) { BOOST_TEST(tcpFlows > 0u); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
