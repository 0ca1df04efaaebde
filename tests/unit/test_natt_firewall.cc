// LinkFirewall on the wire: frames reach the filtered end of the link (PhyRxEnd)
// and only those the rules allow are accepted by the device (MacRx).
#include <boost/test/unit_test.hpp>

#include "link_firewall.h"
#include "test_natt_support.h"

using namespace ipsecsim::natt;
using namespace natt_test;

BOOST_AUTO_TEST_SUITE(natt_firewall)

namespace {

// Host 0 and host 2 send to host 1, whose NIC filters what it receives.
struct FilteredReceiver {
  FilteredReceiver(Action defaultAction) : world(3) {
    firewall = ns3::CreateObject<LinkFirewall>("host-1/eth0", defaultAction);
    FilterReceivedBy(firewall, world.nics.Get(1));
    arrived = std::make_unique<WireTap>(world.nics.Get(1), "PhyRxEnd");
    accepted = std::make_unique<WireTap>(world.nics.Get(1), "MacRx");
    sender = UdpSocket(world.hosts.Get(0), 40000);
  }
  ns3::Ipv4Address Receiver() const { return world.Ip(1); }

  SwitchedHosts world;
  ns3::Ptr<LinkFirewall> firewall;
  std::unique_ptr<WireTap> arrived;
  std::unique_ptr<WireTap> accepted;
  ns3::Ptr<ns3::Socket> sender;
};

auto UdpTo(uint16_t port) {
  return [port](const SeenFrame& f) { return f.IsUdpTo(port); };
}
auto Proto(uint8_t protocol) {
  return [protocol](const SeenFrame& f) { return f.etherType == 0x0800 && f.protocol == protocol; };
}

}  // namespace

BOOST_AUTO_TEST_CASE(rules_allow_and_deny_each_protocol_and_port_with_counters) {
  FilteredReceiver t(Action::kDeny);
  const size_t allowIke =
      t.firewall->AddRule(FirewallRule::Allow().Protocol("udp").DestinationPorts(500));
  const size_t allowNatt =
      t.firewall->AddRule(FirewallRule::Allow().Protocol("udp").DestinationPorts(4500));
  const size_t denyRange =
      t.firewall->AddRule(FirewallRule::Deny().Protocol("udp").DestinationPorts(4000, 4999));
  const size_t allowEspFromHost0 =
      t.firewall->AddRule(FirewallRule::Allow().Protocol("esp").From("10.0.0.11/32"));
  const size_t allowIcmp = t.firewall->AddRule(FirewallRule::Allow().Protocol("icmp"));

  double at = 1.0;
  auto next = [&at]() { return at += 0.01; };
  for (int i = 0; i < 3; ++i) SendUdpAt(next(), t.sender, t.Receiver(), 500);
  for (int i = 0; i < 4; ++i) SendUdpAt(next(), t.sender, t.Receiver(), 4500);
  for (int i = 0; i < 2; ++i) SendUdpAt(next(), t.sender, t.Receiver(), 4501);
  SendUdpAt(next(), t.sender, t.Receiver(), 8080);
  for (uint32_t i = 0; i < 5; ++i)
    SendRawAt(next(), t.world.hosts.Get(0), t.Receiver(), 50, FakeEsp(0x1001, i));
  for (uint32_t i = 0; i < 2; ++i)
    SendRawAt(next(), t.world.hosts.Get(2), t.Receiver(), 50, FakeEsp(0x2002, i));
  for (int i = 0; i < 2; ++i)
    SendRawAt(next(), t.world.hosts.Get(0), t.Receiver(), 6, FakeTcpSyn(40001, 22));
  SendRawAt(next(), t.world.hosts.Get(0), t.Receiver(), 1,
            std::vector<uint8_t>{8, 0, 0, 0, 0, 1, 0, 1});
  ns3::Simulator::Stop(ns3::Seconds(3));
  ns3::Simulator::Run();

  // Everything reached the filtered end of the link...
  BOOST_TEST(t.arrived->Count(UdpTo(500)) == 3u);
  BOOST_TEST(t.arrived->Count(UdpTo(4500)) == 4u);
  BOOST_TEST(t.arrived->Count(UdpTo(4501)) == 2u);
  BOOST_TEST(t.arrived->Count(UdpTo(8080)) == 1u);
  BOOST_TEST(t.arrived->Count(Proto(50)) == 7u);
  BOOST_TEST(t.arrived->Count(Proto(6)) == 2u);
  BOOST_TEST(t.arrived->Count(Proto(1)) == 1u);
  // ...and only what the rules allow got through.
  BOOST_TEST(t.accepted->Count(UdpTo(500)) == 3u);
  BOOST_TEST(t.accepted->Count(UdpTo(4500)) == 4u);
  BOOST_TEST(t.accepted->Count(UdpTo(4501)) == 0u);
  BOOST_TEST(t.accepted->Count(UdpTo(8080)) == 0u);
  BOOST_TEST(t.accepted->Count([](const SeenFrame& f) {
    return f.IsEsp() && f.source == ns3::Ipv4Address("10.0.0.11");
  }) == 5u);
  BOOST_TEST(t.accepted->Count([](const SeenFrame& f) {
    return f.IsEsp() && f.source == ns3::Ipv4Address("10.0.0.13");
  }) == 0u);
  BOOST_TEST(t.accepted->Count(Proto(6)) == 0u);
  BOOST_TEST(t.accepted->Count(Proto(1)) == 1u);
  BOOST_TEST(t.accepted->Count([](const SeenFrame& f) { return f.etherType == 0x0806; }) > 0u);

  const FirewallRuleTable& rules = t.firewall->Rules();
  BOOST_TEST(rules.RuleCounter(allowIke).packets == 3u);
  BOOST_TEST(rules.RuleCounter(allowIke).bytes == 3u * (20 + 8 + 100));
  BOOST_TEST(rules.RuleCounter(allowNatt).packets == 4u);
  BOOST_TEST(rules.RuleCounter(denyRange).packets == 2u);
  BOOST_TEST(rules.RuleCounter(allowEspFromHost0).packets == 5u);
  BOOST_TEST(rules.RuleCounter(allowEspFromHost0).bytes == 5u * (20 + 80));
  BOOST_TEST(rules.RuleCounter(allowIcmp).packets == 1u);
  // Default deny: UDP 8080, ESP from host 2 and the two TCP segments.
  BOOST_TEST(rules.DefaultCounter().packets == 5u);
  BOOST_TEST(t.firewall->Dropped() == 2u + 5u);
  BOOST_TEST(t.firewall->NonIpv4Passed() > 0u);
  BOOST_TEST(t.firewall->MalformedDropped() == 0u);
}

BOOST_AUTO_TEST_CASE(first_matching_rule_wins) {
  for (bool allowFirst : {true, false}) {
    FilteredReceiver t(Action::kAllow);
    const FirewallRule allow = FirewallRule::Allow().Protocol("udp").DestinationPorts(4500);
    const FirewallRule deny = FirewallRule::Deny().Protocol("udp");
    t.firewall->AddRule(allowFirst ? allow : deny);
    t.firewall->AddRule(allowFirst ? deny : allow);
    for (int i = 0; i < 3; ++i) SendUdpAt(1.0 + 0.01 * i, t.sender, t.Receiver(), 4500);
    ns3::Simulator::Stop(ns3::Seconds(2));
    ns3::Simulator::Run();

    BOOST_TEST_CONTEXT("allow rule first: " << allowFirst) {
      BOOST_TEST(t.arrived->Count(UdpTo(4500)) == 3u);
      BOOST_TEST(t.accepted->Count(UdpTo(4500)) == (allowFirst ? 3u : 0u));
      BOOST_TEST(t.firewall->Rules().RuleCounter(1).packets == 3u);
      BOOST_TEST(t.firewall->Rules().RuleCounter(2).packets == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(report_names_the_rule_the_link_and_the_counts) {
  FilteredReceiver t(Action::kAllow);
  t.firewall->AddRule(FirewallRule::Allow().Protocol("udp").DestinationPorts(500));
  t.firewall->AddRule(FirewallRule::Allow().Protocol("udp").DestinationPorts(4500));
  t.firewall->AddRule(FirewallRule::Deny().Protocol(kProtoEsp));
  for (uint32_t i = 0; i < 4; ++i)
    SendRawAt(1.0 + 0.01 * i, t.world.hosts.Get(0), t.Receiver(), 50, FakeEsp(7, i));
  SendUdpAt(1.5, t.sender, t.Receiver(), 9000);
  ns3::Simulator::Stop(ns3::Seconds(2));
  ns3::Simulator::Run();

  BOOST_TEST(t.accepted->Count(Proto(50)) == 0u);
  BOOST_TEST(t.accepted->Count(UdpTo(9000)) == 1u);
  const std::vector<std::string> report = t.firewall->Report();
  BOOST_REQUIRE(report.size() == 2u);
  BOOST_TEST(report[0] == "rule 3 (deny proto 50) on link host-1/eth0: 4 packets, 400 bytes");
  BOOST_TEST(report[1] == "default allow on link host-1/eth0: 1 packets, 128 bytes");
}

BOOST_AUTO_TEST_CASE(one_firewall_on_both_ends_filters_both_directions_of_a_link) {
  SwitchedHosts world(2);
  auto firewall = ns3::CreateObject<LinkFirewall>("host-0/eth0", Action::kAllow);
  firewall->AddRule(FirewallRule::Deny().Protocol("esp"));
  InstallOnLink(firewall, world.nics.Get(0), world.switchPorts.Get(0));
  WireTap sentBy0(world.nics.Get(0), "PhyTxBegin");
  WireTap arrivedAt1(world.nics.Get(1), "PhyRxEnd");
  WireTap arrivedAt0(world.nics.Get(0), "PhyRxEnd");
  WireTap acceptedBy0(world.nics.Get(0), "MacRx");
  SendRawAt(1.0, world.hosts.Get(0), world.Ip(1), 50, FakeEsp(1, 1));
  SendRawAt(1.1, world.hosts.Get(1), world.Ip(0), 50, FakeEsp(2, 1));
  ns3::Simulator::Stop(ns3::Seconds(2));
  ns3::Simulator::Run();

  // Out of host 0: on its link, dropped by the switch port, never on host 1's link.
  BOOST_TEST(sentBy0.Count(Proto(50)) == 1u);
  BOOST_TEST(arrivedAt1.Count(Proto(50)) == 0u);
  // Into host 0: arrives on its link, dropped by its NIC.
  BOOST_TEST(arrivedAt0.Count(Proto(50)) == 1u);
  BOOST_TEST(acceptedBy0.Count(Proto(50)) == 0u);
  BOOST_TEST(firewall->Rules().RuleCounter(1).packets == 2u);
}

BOOST_AUTO_TEST_CASE(a_device_without_receive_error_model_is_refused) {
  auto firewall = ns3::CreateObject<LinkFirewall>("lo", Action::kAllow);
  auto loopback = ns3::CreateObject<ns3::SimpleNetDevice>();
  BOOST_CHECK_NO_THROW(FilterReceivedBy(firewall, loopback));  // SimpleNetDevice has one
  auto bridge = ns3::CreateObject<ns3::BridgeNetDevice>();
  BOOST_CHECK_THROW(FilterReceivedBy(firewall, bridge), std::invalid_argument);
  ns3::Simulator::Destroy();
}

BOOST_AUTO_TEST_CASE(rule_parsing_rejects_bad_input) {
  BOOST_CHECK_THROW(FirewallRule::Allow().Protocol("gre"), std::invalid_argument);
  BOOST_CHECK_THROW(FirewallRule::Allow().Protocol("256"), std::invalid_argument);
  BOOST_CHECK_THROW(FirewallRule::Allow().From("10.0.0.0/33"), std::invalid_argument);
  BOOST_CHECK_THROW(FirewallRule::Allow().DestinationPorts(5000, 4000), std::invalid_argument);
  BOOST_TEST(FirewallRule::Deny().Protocol("50").Describe() == "deny proto 50");
  BOOST_TEST(
      FirewallRule::Allow().Protocol("udp").From("10.0.0.0/16").DestinationPorts(4500).Describe() ==
      "allow udp from 10.0.0.0/16 dport 4500");
  BOOST_TEST(FirewallRule::Allow().DestinationPorts(30000, 32767).Describe() ==
             "allow any dport 30000-32767");
}

BOOST_AUTO_TEST_SUITE_END()
