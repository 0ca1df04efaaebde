// RFC 3948 UDP encapsulation, judged from the wire.
#include <boost/test/unit_test.hpp>

#include "test_xfrm_support.h"

using namespace xfrm_test;
using ns3::MilliSeconds;
using ns3::Seconds;

BOOST_AUTO_TEST_SUITE(xfrm_encap)

BOOST_AUTO_TEST_CASE(esp_in_udp_4500_works_and_keepalives_are_dropped) {
  TwoHosts w;
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  w.AddSaPair(0x1001, 0x2001, /*encap=*/true);
  auto& sink = w.UdpSink(1, 5001);
  auto& nattSocketSink = w.UdpSink(1, 4500);  // sees IKE only, with no handler set on b
  w.UdpSend(0, 5001, 1200, 6, Seconds(1));
  w.InjectIpv4(0, 17, {0x11, 0x94, 0x11, 0x94, 0x00, 0x09, 0x00, 0x00, 0xff}, Seconds(1.5));
  // IKE on 4500: non-ESP marker then (a stub of) an IKE header.
  const auto ike = w.Udp(0, 4500, 4500, {0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
  w.InjectIpv4(0, 17, ike, Seconds(1.6));
  ns3::Simulator::Stop(Seconds(2));
  ns3::Simulator::Run();

  BOOST_TEST(w.Frames([](const WireFrame& f) { return f.protocol == 50; }).empty());
  const auto encapsulated = w.Frames([](const WireFrame& f) {
    return f.protocol == 17 && f.SrcPort() == 4500 && f.DstPort() == 4500 && f.Spi() == 0x1001;
  });
  BOOST_TEST(encapsulated.size() == 6u);
  for (const auto& f : encapsulated) {
    BOOST_TEST(f.l4[6] == 0);  // UDP checksum 0
    BOOST_TEST(f.l4[7] == 0);
    BOOST_TEST(f.l4.size() == 8u + 1208 + 36);
  }
  BOOST_TEST(w.Frames([](const WireFrame& f) { return f.DstPort() == 5001; }).empty());
  BOOST_TEST(sink.packets == 6u);
  BOOST_TEST(w.xfrm[1]->Stats().nattKeepalivesDropped == 1u);
  BOOST_TEST(w.xfrm[1]->Stats().nattIkePackets == 1u);
  BOOST_TEST(nattSocketSink.packets == 1u);  // the IKE packet, not the keepalive
  BOOST_TEST(w.xfrm[1]->Stats().inDecrypted == 6u);
  BOOST_TEST(w.xfrm[1]->Counters().Total() == 0u);
}

BOOST_AUTO_TEST_CASE(ike_on_4500_goes_to_the_handler) {
  TwoHosts w;
  std::vector<uint32_t> ikeSizes;
  w.xfrm[1]->SetNattIkeHandler(
      ns3::MakeCallback(+[](std::vector<uint32_t>* v, ns3::Ptr<ns3::Packet> p, const ns3::Address&,
                            const ns3::Address&, uint16_t, uint16_t dport) {
        if (dport == 4500) v->push_back(p->GetSize());
      }).Bind(&ikeSizes));
  std::vector<uint8_t> ike = {0x11, 0x94, 0x11, 0x94, 0x00, 0x10, 0x00, 0x00,
                              0,    0,    0,    0,    9,    9,    9,    9};
  w.InjectIpv4(0, 17, ike, Seconds(1));
  w.InjectIpv4(0, 17, {0x11, 0x94, 0x11, 0x94, 0x00, 0x0b, 0x00, 0x00, 1, 2, 3},
               Seconds(1.1));  // 3 bytes: neither ESP nor IKE
  ns3::Simulator::Stop(Seconds(2));
  ns3::Simulator::Run();
  BOOST_REQUIRE(ikeSizes.size() == 1u);
  BOOST_TEST(ikeSizes[0] == 8u);  // marker + IKE bytes, UDP header stripped
  BOOST_TEST(w.xfrm[1]->Counters().Get(ipsecsim::XfrmStat::kInHdrError) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
