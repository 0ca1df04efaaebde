// Colliding Child SA rekeys (RFC 7296 §2.8.1): both ends start a
// CREATE_CHILD_SA rekeying the same Child SA before either sees the other's
// request. Both exchanges complete; the SA made by the one holding the
// lowest of the four nonces is redundant and deleted by the node that
// initiated it; the other replaces the old pair. A steady stream with
// echoes loses nothing, whichever side wins and however the requests cross.
#include <boost/test/unit_test.hpp>
#include <set>

#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

constexpr uint8_t kCreateChildSa = uint8_t(ExchangeType::kCreateChildSa);
constexpr uint8_t kInformational = uint8_t(ExchangeType::kInformational);

uint64_t InNoStates(const IkeWorld& w, int node) {
  return w.stacks[node]->Counters().Get(XfrmStat::kInNoStates);
}

uint32_t LastSpi(const IkeWorld& w, uint32_t sender) {
  uint32_t spi = 0;
  for (const auto& f : w.wire)
    if (f.protocol == 50 && f.sender == sender) spi = f.EspSpi();
  return spi;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_rekey_collision)

BOOST_AUTO_TEST_CASE(simultaneous_rekeys_of_one_child_sa_leave_one_pair_and_lose_nothing) {
  std::set<int> winners;  // which node initiated the surviving rekey, over the runs
  // b's request leaves 0 to 1.5 ms after a's: still before a's arrives (1 ms
  // link, CPU time of the responder), so the requests cross every time.
  for (int seed = 0; seed < 6; ++seed) {
    for (double offsetMs : {0.0, 0.5, 1.0}) {
      IkeWorld w;
      for (int i = 0; i < 2; ++i)
        w.daemons[i]->SetAttribute("Seed", ns3::UintegerValue(100 + 10 * seed + i));
      w.ConfigureDefault();
      w.Load();
      auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
      constexpr uint32_t kPackets = 160;
      auto& atA =
          w.UdpSend(0, kReplyPort, kServicePort, kPackets, ns3::Seconds(1), ns3::MilliSeconds(25));
      bool started[2] = {false, false};
      ns3::Simulator::Schedule(ns3::Seconds(2),
                               [&]() { started[0] = w.daemons[0]->RekeyChildSa("a-to-b"); });
      ns3::Simulator::Schedule(ns3::Seconds(2) + ns3::MicroSeconds(int64_t(offsetMs * 1000)),
                               [&]() { started[1] = w.daemons[1]->RekeyChildSa("b-from-a"); });
      w.Run(ns3::Seconds(5.5));
      const std::string log = DumpLogs(w);
      BOOST_TEST_CONTEXT("seed " << seed << " offset " << offsetMs << " ms\n" << log) {
        BOOST_TEST(started[0]);
        BOOST_TEST(started[1]);
        const auto& ca = w.daemons[0]->Counters();
        const auto& cb = w.daemons[1]->Counters();
        BOOST_TEST(ca.rekeyCollisions == 1u);
        BOOST_TEST(cb.rekeyCollisions == 1u);
        BOOST_TEST(ca.redundantDeleted + cb.redundantDeleted == 1u);  // exactly one end deletes
        BOOST_TEST(atB.packets == kPackets);
        BOOST_TEST(atA.packets == kPackets);
        BOOST_TEST(InNoStates(w, 0) == 0u);
        BOOST_TEST(InNoStates(w, 1) == 0u);
        // Two CREATE_CHILD_SA requests, one from each end, both answered; two
        // Deletes: the redundant SA (by its initiator) and the old pair (by
        // the winner's initiator).
        BOOST_TEST(w.Count([](const WireFrame& f) { return f.IkeExchange() == kCreateChildSa; }) ==
                   4u);
        BOOST_TEST(w.Count([](const WireFrame& f) {
          return f.IkeExchange() == kInformational && !f.IsIkeResponse();
        }) == 2u);
        // One pair left, the same on both ends and on the wire.
        BOOST_TEST(w.stacks[0]->States().Size() == 2u);
        BOOST_TEST(w.stacks[1]->States().Size() == 2u);
        const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
        const ConnectionStatus b = w.daemons[1]->Status("b-from-a");
        BOOST_TEST(a.spiOut == b.spiIn);
        BOOST_TEST(b.spiOut == a.spiIn);
        BOOST_TEST(LastSpi(w, 0) == a.spiOut);
        BOOST_TEST(LastSpi(w, 1) == b.spiOut);
        winners.insert(cb.redundantDeleted == 1 ? 0 : 1);
      }
    }
  }
  // Over the seeds the lowest nonce fell on each side at least once.
  BOOST_TEST(winners.size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
