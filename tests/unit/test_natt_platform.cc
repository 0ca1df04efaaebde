// The ibmcloud platform profile on a switched underlay: ESP never crosses it,
// IKE (UDP 500) and NAT-T (UDP 4500) do.
#include <boost/test/unit_test.hpp>

#include "platform.h"
#include "platform_profile.h"
#include "test_natt_support.h"

using namespace ipsecsim::natt;
using namespace natt_test;

BOOST_AUTO_TEST_SUITE(natt_platform)

BOOST_AUTO_TEST_CASE(ibmcloud_drops_esp_on_every_link_and_passes_udp_500_and_4500) {
  SwitchedHosts world(2);
  std::vector<UnderlayLink> links;
  for (uint32_t i = 0; i < 2; ++i) {
    links.push_back(
        {"host-" + std::to_string(i) + "/eth0", world.nics.Get(i), world.switchPorts.Get(i)});
  }
  BOOST_REQUIRE(ipsecsim::sim::ProfileOf(ipsecsim::sim::Platform::kIbmcloud).dropsEsp);
  const auto firewalls = ApplyEspFilter(links);
  BOOST_REQUIRE(firewalls.size() == 2u);
  WireTap sentBy0(world.nics.Get(0), "PhyTxBegin");
  WireTap sentBy1(world.nics.Get(1), "PhyTxBegin");
  WireTap acceptedBy0(world.nics.Get(0), "MacRx");
  WireTap acceptedBy1(world.nics.Get(1), "MacRx");
  auto ike0 = UdpSocket(world.hosts.Get(0), 500);
  auto natt0 = UdpSocket(world.hosts.Get(0), 4500);
  auto natt1 = UdpSocket(world.hosts.Get(1), 4500);
  for (uint32_t i = 0; i < 5; ++i) {
    const double at = 1.0 + 0.1 * i;
    SendUdpAt(at, ike0, world.Ip(1), 500);
    SendUdpAt(at + 0.01, natt0, world.Ip(1), 4500);
    SendUdpAt(at + 0.02, natt1, world.Ip(0), 4500);
    SendRawAt(at + 0.03, world.hosts.Get(0), world.Ip(1), 50, FakeEsp(0x100, i));
    SendRawAt(at + 0.04, world.hosts.Get(1), world.Ip(0), 50, FakeEsp(0x200, i));
  }
  ns3::Simulator::Stop(ns3::Seconds(3));
  ns3::Simulator::Run();

  auto esp = [](const SeenFrame& f) { return f.IsEsp(); };
  BOOST_TEST(sentBy0.Count(esp) == 5u);  // put on the wire...
  BOOST_TEST(sentBy1.Count(esp) == 5u);
  BOOST_TEST(acceptedBy1.Count(esp) == 0u);  // ...never delivered
  BOOST_TEST(acceptedBy0.Count(esp) == 0u);
  BOOST_TEST(acceptedBy1.Count([](const SeenFrame& f) { return f.IsUdpTo(500); }) == 5u);
  BOOST_TEST(acceptedBy1.Count([](const SeenFrame& f) { return f.IsUdpTo(4500); }) == 5u);
  BOOST_TEST(acceptedBy0.Count([](const SeenFrame& f) { return f.IsUdpTo(4500); }) == 5u);
  for (const auto& firewall : firewalls) {
    BOOST_TEST(firewall->Rules().RuleCount() == 1u);
    BOOST_TEST(firewall->Rules().RuleCounter(1).packets == 5u);  // each host's ESP, at its own link
    BOOST_TEST(firewall->Dropped() == 5u);
  }
  BOOST_TEST(firewalls[0]->Report().at(0) ==
             "rule 1 (deny proto 50) on link host-0/eth0: 5 packets, 500 bytes");
}

BOOST_AUTO_TEST_CASE(other_platforms_forward_esp) {
  using ipsecsim::sim::Platform;
  BOOST_TEST(ipsecsim::sim::ProfileOf(Platform::kIbmcloud).dropsEsp);
  for (const auto& profile : ipsecsim::sim::PlatformProfiles()) {
    if (profile.platform == Platform::kIbmcloud) continue;
    BOOST_TEST(!profile.dropsEsp, profile.name);
  }
  BOOST_TEST(!ipsecsim::sim::PlatformNamed("none"));
  SwitchedHosts world(2);  // aws: no filter on the link
  WireTap acceptedBy1(world.nics.Get(1), "MacRx");
  SendRawAt(1.0, world.hosts.Get(0), world.Ip(1), 50, FakeEsp(0x100, 1));
  ns3::Simulator::Stop(ns3::Seconds(2));
  ns3::Simulator::Run();
  BOOST_TEST(acceptedBy1.Count([](const SeenFrame& f) { return f.IsEsp(); }) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
