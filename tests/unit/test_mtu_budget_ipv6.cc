// The report's mtu_budget on an IPv6 underlay: Geneve costs 78 bytes there
// (outer IPv6 40 instead of IPv4 20), ESP and UDP 4500 the same as on IPv4.
#include <boost/test/unit_test.hpp>

#include "mtu_budget.h"

using namespace ipsecsim;
using sim::mtu::UnderlayFamily;

namespace {
harness::ClusterSpec Cluster(int hostMtu, int clusterMtu, harness::IpsecMode mode) {
  harness::ClusterSpec c;
  c.hostMtu = hostMtu;
  c.clusterMtu = clusterMtu;
  c.ipsecMode = mode;
  return c;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(mtu_budget_ipv6)

BOOST_AUTO_TEST_CASE(geneve_takes_78_of_the_100_budgeted) {
  const harness::MtuBudget b = harness::ComputeMtuBudget(
      Cluster(1500, 1400, harness::IpsecMode::kDisabled), false, UnderlayFamily::kIpv6);
  BOOST_TEST(b.protection == "none");
  BOOST_TEST(b.geneveBytes == 78);
  BOOST_TEST(b.geneveBudget == 100);
  BOOST_TEST(b.ipsecBudget == 0);
  BOOST_TEST(b.fullSizePodPacketOnWire == 1478);
  BOOST_TEST(b.largestPodPacketThatFits == 1422);
  BOOST_TEST(b.headroom == 22);
}

// Up to 78 + 37 = 115 bytes against 100 + 46 = 146.
BOOST_AUTO_TEST_CASE(esp_adds_34_to_37_as_on_ipv4) {
  const harness::ClusterSpec c = Cluster(1500, 1354, harness::IpsecMode::kFull);
  const harness::MtuBudget b = harness::ComputeMtuBudget(c, false, UnderlayFamily::kIpv6);
  BOOST_TEST(b.protection == "esp");
  BOOST_TEST(b.geneveBytes + b.ipsecBytesMax == 115);
  BOOST_TEST(b.geneveBudget + b.ipsecBudget == 146);
  BOOST_TEST(b.ipsecBytesMin == 34);
  // 1354 + 78 = 1432; ESP payload 1392, (1392 + 2) % 4 == 2: 2 bytes of padding.
  BOOST_TEST(b.fullSizePodPacketOnWire == 1432 + 36);
  BOOST_TEST(b.largestPodPacketThatFits == 1388);
  BOOST_TEST(b.headroom == 1500 - 1468);
  const harness::MtuBudget v4 = harness::ComputeMtuBudget(c);
  BOOST_TEST(v4.geneveBytes == 58);
  BOOST_TEST(v4.fullSizePodPacketOnWire == b.fullSizePodPacketOnWire - 20);
}

BOOST_AUTO_TEST_CASE(esp_in_udp_4500_adds_8_more) {
  const harness::MtuBudget b = harness::ComputeMtuBudget(
      Cluster(1500, 1400, harness::IpsecMode::kFull), true, UnderlayFamily::kIpv6);
  BOOST_TEST(b.protection == "esp-in-udp");
  BOOST_TEST(b.ipsecBytesMin == 42);
  BOOST_TEST(b.ipsecBytesMax == 45);
  BOOST_TEST(b.fullSizePodPacketOnWire == 1520);  // 1512 with ESP alone, + UDP 8
  BOOST_TEST(b.headroom == -20);
  BOOST_TEST(b.note.find("too few") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
