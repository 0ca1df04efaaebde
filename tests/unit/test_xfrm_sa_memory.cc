// A state's ESP SAs are made by the traffic that needs them: a sender's
// state gets only its OutboundSa, the receiver's copy only its InboundSa,
// and a state nothing used gets neither.
#include <boost/test/unit_test.hpp>

#include "test_xfrm_support.h"

using namespace xfrm_test;
using ns3::Seconds;

BOOST_AUTO_TEST_SUITE(xfrm_sa_memory)

BOOST_AUTO_TEST_CASE(one_way_traffic_makes_one_esp_sa_per_state) {
  TwoHosts w;
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  w.AddSaPair(0x1001, 0x2001);
  auto& sink = w.UdpSink(1, 5001);
  w.UdpSend(0, 5001, 200, 3, Seconds(1));
  ns3::Simulator::Stop(Seconds(3));
  ns3::Simulator::Run();
  BOOST_TEST(sink.packets == 3u);

  auto state = [&w](int node, uint32_t spi, int dst) {
    const State* s = w.xfrm[node]->States().FindInbound(spi, w.Addr(dst), kProtoEsp);
    BOOST_REQUIRE(s);
    return s;
  };
  const State* sent = state(0, 0x1001, 1);
  BOOST_TEST(bool(sent->outbound));
  BOOST_TEST(!sent->inbound);
  BOOST_TEST(sent->NextOutboundSequence() == 4u);
  const State* received = state(1, 0x1001, 1);
  BOOST_TEST(!received->outbound);
  BOOST_TEST(bool(received->inbound));
  for (int node = 0; node < 2; ++node) {  // b -> a carried nothing
    const State* idle = state(node, 0x2001, 0);
    BOOST_TEST(!idle->outbound);
    BOOST_TEST(!idle->inbound);
    BOOST_TEST(!idle->OutboundExhausted());
    BOOST_TEST(idle->NextOutboundSequence() == ipsecsim::esp::OutboundSa::kFirstSequence);
  }
}

BOOST_AUTO_TEST_CASE(an_unmade_outbound_sa_reads_as_a_fresh_one) {
  const ns3::Ipv4Address a("10.0.0.1"), b("10.0.0.2");
  Sad sad;
  StateConfig c;
  c.src = a;
  c.dst = b;
  c.spi = 0x1000;
  c.keymat = ipsecsim::Bytes(36, 7);
  std::string error;
  State* s = sad.Add(c, Seconds(0), &error);
  BOOST_TEST_REQUIRE(s);
  BOOST_TEST(!s->outbound);
  BOOST_TEST(s->NextOutboundSequence() == s->Outbound().NextSequence());
  BOOST_TEST(s->Outbound().Config().keymat == c.keymat);
  BOOST_TEST(s->Inbound().Config().spi == 0x1000u);
  // Exhausted states lose the outbound look-up, made or not.
  SaTemplate tmpl;
  BOOST_TEST(sad.FindOutbound(a, b, tmpl) == s);
  s->Outbound().SetNextSequence(uint64_t(1) << 32);
  BOOST_TEST(s->OutboundExhausted());
  BOOST_TEST(sad.FindOutbound(a, b, tmpl) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
