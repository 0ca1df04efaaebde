// CREATE_CHILD_SA rekeying on the simulated wire: a steady UDP stream
// crosses several rekeys (lifetime and sequence-space triggers) without
// losing a datagram, and the ESP SPIs seen on the wire change.
#include <boost/test/unit_test.hpp>
#include <set>

#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

std::vector<uint32_t> SpisInOrder(const IkeWorld& w, uint32_t sender) {
  std::vector<uint32_t> spis;
  for (const auto& f : w.wire)
    if (f.protocol == 50 && f.sender == sender && (spis.empty() || spis.back() != f.EspSpi()))
      spis.push_back(f.EspSpi());
  return spis;
}

size_t ClearFlowFrames(const IkeWorld& w) {
  return w.Count([](const WireFrame& f) {
    return f.protocol == 17 && (f.DstPort() == kServicePort || f.DstPort() == kReplyPort);
  });
}

uint64_t InNoStates(const IkeWorld& w, int node) {
  return w.stacks[node]->Counters().Get(XfrmStat::kInNoStates);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_rekey)

BOOST_AUTO_TEST_CASE(stream_crosses_lifetime_rekeys_without_loss) {
  IkeWorld w;
  w.ConfigureDefault();
  for (ConnectionConfig* c : {&w.aConnection, &w.bConnection}) {
    c->saLifetimeSeconds = 3;  // a rekeys 1 s before, b would at 0.5 s before
    c->rekeyMarginSeconds = 1;
  }
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
  constexpr uint32_t kPackets = 440;  // 40 per second for 11 s
  auto& atA =
      w.UdpSend(0, kReplyPort, kServicePort, kPackets, ns3::Seconds(1), ns3::MilliSeconds(25));
  w.Run(ns3::Seconds(12.5));
  BOOST_TEST_MESSAGE(DumpLogs(w));

  BOOST_TEST(atB.packets == kPackets);
  BOOST_TEST(atA.packets == kPackets);  // every echo too
  BOOST_TEST(ClearFlowFrames(w) == 0u);
  BOOST_TEST(InNoStates(w, 0) == 0u);
  BOOST_TEST(InNoStates(w, 1) == 0u);

  // SA up at ~1 s, then a rekey every 2 s: at ~3, 5, 7, 9, 11 s.
  const auto ab = SpisInOrder(w, 0);
  const auto ba = SpisInOrder(w, 1);
  BOOST_TEST(ab.size() >= 5u);
  BOOST_TEST(ba.size() >= 5u);
  BOOST_TEST(std::set<uint32_t>(ab.begin(), ab.end()).size() == ab.size());  // never goes back
  BOOST_TEST(w.daemons[0]->Counters().childSasRekeyed >= 4u);
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.IkeExchange() == uint8_t(ExchangeType::kCreateChildSa) && f.sender == 0 &&
           !f.IsIkeResponse();
  }) >= 4u);
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.IkeExchange() == uint8_t(ExchangeType::kCreateChildSa) && f.sender == 1 &&
           !f.IsIkeResponse();
  }) == 0u);  // b's soft lifetime comes later: a always rekeys first
  // The replaced SAs were deleted: at most the current pair and one retiring.
  BOOST_TEST(w.stacks[0]->States().Size() <= 4u);
  BOOST_TEST(w.stacks[1]->States().Size() <= 4u);
  BOOST_TEST(w.daemons[1]->Counters().childSasDeleted >= 3u);
  // The status names what is on the wire last.
  BOOST_TEST(w.daemons[0]->Status("a-to-b").spiOut == ab.back());
  BOOST_TEST(w.daemons[1]->Status("b-from-a").spiOut == ba.back());
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp);
}

BOOST_AUTO_TEST_CASE(sequence_space_triggers_a_rekey_with_pfs) {
  IkeWorld w;
  w.ConfigureDefault();
  w.aConnection.saLifetimeSeconds = 0;
  w.bConnection.saLifetimeSeconds = 0;
  for (auto& d : w.daemons) {
    d->SetAttribute("RekeyPfs", ns3::BooleanValue(true));
    d->SetAttribute("SequenceCheckInterval", ns3::TimeValue(ns3::MilliSeconds(200)));
  }
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
  constexpr uint32_t kPackets = 100;
  auto& atA =
      w.UdpSend(0, kReplyPort, kServicePort, kPackets, ns3::Seconds(1), ns3::MilliSeconds(20));
  // At 2 s, a's outbound SA is moved close to the rekey threshold.
  ns3::Simulator::Schedule(ns3::Seconds(2), [&w]() {
    const uint32_t spi = w.daemons[0]->Status("a-to-b").spiOut;
    xfrm::State* out = w.stacks[0]->States().FindInbound(spi, w.address[1], xfrm::kProtoEsp);
    BOOST_REQUIRE(out);
    out->Outbound().SetNextSequence(0xC0000000ull - 5);
  });
  w.Run(ns3::Seconds(3.5));
  BOOST_TEST_MESSAGE(DumpLogs(w));

  BOOST_TEST(atB.packets == kPackets);
  BOOST_TEST(atA.packets == kPackets);
  BOOST_TEST(InNoStates(w, 0) == 0u);
  BOOST_TEST(InNoStates(w, 1) == 0u);
  const auto ab = SpisInOrder(w, 0);
  BOOST_REQUIRE_EQUAL(ab.size(), 2u);  // one rekey
  BOOST_TEST(w.daemons[0]->Counters().childSasRekeyed == 1u);
  // The CREATE_CHILD_SA pair carries a KE each: with MODP-2048 (256 bytes)
  // both messages are far larger than a rekey without PFS.
  const auto ccs = w.Frames(
      [](const WireFrame& f) { return f.IkeExchange() == uint8_t(ExchangeType::kCreateChildSa); });
  BOOST_REQUIRE_EQUAL(ccs.size(), 2u);
  for (const auto& f : ccs) BOOST_TEST(f.l4.size() > 8u + 28u + 256u + 32u);
  BOOST_TEST(w.stacks[0]->States().Size() == 2u);  // the old pair is gone
  BOOST_TEST(w.stacks[1]->States().Size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
