// The xfrm data path judged from the wire: protect, bypass, discard, TCP,
// fragmentation, and cleartext arriving for a protected selector.
#include <boost/test/unit_test.hpp>

#include "ns3/applications-module.h"
#include "test_xfrm_support.h"

using namespace xfrm_test;
using ns3::MilliSeconds;
using ns3::Seconds;

BOOST_AUTO_TEST_SUITE(xfrm_datapath)

BOOST_AUTO_TEST_CASE(protect_bypass_discard_seen_on_the_wire) {
  TwoHosts w;
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  w.AddServicePolicies(17, 5002, PolicyAction::kBypass);
  w.AddServicePolicies(17, 5003, PolicyAction::kDiscard);
  w.AddSaPair();
  auto& protectedSink = w.UdpSink(1, 5001);
  auto& bypassSink = w.UdpSink(1, 5002);
  auto& discardSink = w.UdpSink(1, 5003);
  w.UdpSend(0, 5001, 300, 10, Seconds(1));
  w.UdpSend(0, 5002, 300, 10, Seconds(1));
  w.UdpSend(0, 5003, 300, 10, Seconds(1));
  ns3::Simulator::Stop(Seconds(3));
  ns3::Simulator::Run();

  const auto esp = w.Frames([](const WireFrame& f) { return f.protocol == 50; });
  const auto clearUdp = w.Frames([](const WireFrame& f) { return f.protocol == 17; });
  BOOST_TEST(esp.size() == 10u);
  for (const auto& f : esp) {
    BOOST_TEST(f.Spi() == 0x1001u);
    BOOST_TEST(f.l4.size() == 300u + 8 + 34 + 2);  // UDP 308 bytes: pad 2, overhead 36
  }
  BOOST_TEST(clearUdp.size() == 10u);
  for (const auto& f : clearUdp) BOOST_TEST(f.DstPort() == 5002);
  BOOST_TEST(protectedSink.bytes == 3000u);
  BOOST_TEST(bypassSink.bytes == 3000u);
  BOOST_TEST(discardSink.bytes == 0u);
  BOOST_TEST(w.xfrm[0]->Counters().Get(ipsecsim::XfrmStat::kOutPolBlock) == 10u);
  BOOST_TEST(w.xfrm[1]->Stats().inDecrypted == 10u);
}

BOOST_AUTO_TEST_CASE(negative_control_without_policies_is_clear) {
  TwoHosts w;
  auto& sink = w.UdpSink(1, 5001);
  w.UdpSend(0, 5001, 300, 5, Seconds(1));
  ns3::Simulator::Stop(Seconds(2));
  ns3::Simulator::Run();
  BOOST_TEST(w.Frames([](const WireFrame& f) { return f.protocol == 50; }).empty());
  BOOST_TEST(w.Frames([](const WireFrame& f) { return f.DstPort() == 5001; }).size() == 5u);
  BOOST_TEST(sink.packets == 5u);
}

BOOST_AUTO_TEST_CASE(tcp_goodput_through_esp_equals_payload) {
  TwoHosts w;
  w.AddServicePolicies(6, 5004, PolicyAction::kProtect);
  w.AddSaPair();
  const uint32_t total = 300000;
  ns3::PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                   ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), 5004));
  auto sinkApp = sinkHelper.Install(w.hosts.Get(1));
  ns3::BulkSendHelper bulk("ns3::TcpSocketFactory", ns3::InetSocketAddress(w.b, 5004));
  bulk.SetAttribute("MaxBytes", ns3::UintegerValue(total));
  bulk.Install(w.hosts.Get(0)).Start(Seconds(1));
  ns3::Simulator::Stop(Seconds(10));
  ns3::Simulator::Run();

  BOOST_TEST(ns3::DynamicCast<ns3::PacketSink>(sinkApp.Get(0))->GetTotalRx() == total);
  BOOST_TEST(w.Frames([](const WireFrame& f) { return f.protocol == 6; }).empty());
  const auto esp = w.Frames([](const WireFrame& f) { return f.protocol == 50; });
  BOOST_TEST(esp.size() > total / 600);  // data segments and ACKs, both directions
  BOOST_TEST(!w.Frames([](const WireFrame& f) { return f.Spi() == 0x2001; }).empty());
}

BOOST_AUTO_TEST_CASE(fragmented_esp_is_reassembled_and_decrypted) {
  TwoHosts w;
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  w.AddSaPair();
  auto& sink = w.UdpSink(1, 5001);
  w.UdpSend(0, 5001, 3000, 4, Seconds(1));
  ns3::Simulator::Stop(Seconds(2));
  ns3::Simulator::Run();

  const auto fragments = w.Frames([](const WireFrame& f) { return f.protocol == 50; });
  // 3008 + 36 ESP bytes do not fit in a 1500-byte MTU: three fragments each.
  BOOST_TEST(fragments.size() == 12u);
  size_t first = 0, more = 0;
  for (const auto& f : fragments) {
    first += f.IsFirstFragment();
    more += f.moreFragments;
  }
  BOOST_TEST(first == 4u);
  BOOST_TEST(more == 8u);
  BOOST_TEST(sink.packets == 4u);
  for (uint32_t size : sink.sizes) BOOST_TEST(size == 3000u);
  BOOST_TEST(w.xfrm[1]->Counters().Total() == 0u);
}

BOOST_AUTO_TEST_CASE(cleartext_for_protected_selector_is_dropped) {
  TwoHosts w;
  // Only the receiver has policies: the sender emits the datagrams in clear.
  Policy in;
  in.selector = {IpPrefix::Host(w.a), IpPrefix::Host(w.b), 17, PortRange::Any(),
                 PortRange::Single(5001)};
  in.direction = Direction::kIn;
  w.xfrm[1]->AddPolicy(in);
  auto& sink = w.UdpSink(1, 5001);
  auto& other = w.UdpSink(1, 5009);
  w.UdpSend(0, 5001, 100, 7, Seconds(1));
  w.UdpSend(0, 5009, 100, 3, Seconds(1));
  ns3::Simulator::Stop(Seconds(2));
  ns3::Simulator::Run();

  BOOST_TEST(w.Frames([](const WireFrame& f) { return f.DstPort() == 5001; }).size() == 7u);
  BOOST_TEST(sink.packets == 0u);
  BOOST_TEST(other.packets == 3u);
  BOOST_TEST(w.xfrm[1]->Counters().Get(ipsecsim::XfrmStat::kInTmplMismatch) == 7u);
}

BOOST_AUTO_TEST_SUITE_END()
