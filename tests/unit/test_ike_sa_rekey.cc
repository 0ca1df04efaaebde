// IKE SA rekey (RFC 7296 §1.3.2, §2.18) on the simulated wire: a steady UDP
// stream crosses several IKE SA rekeys (and Child SA rekeys carried by the
// new IKE SAs) without losing a datagram; the new IKE SAs' keys are in the
// ikev2_decryption_table and tshark decrypts every SK payload of the run,
// the rekey exchanges included, with a correct ICV.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <set>

#include "run_command.h"
#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

constexpr uint8_t kCreateChildSa = uint8_t(ExchangeType::kCreateChildSa);
constexpr uint8_t kInformational = uint8_t(ExchangeType::kInformational);

size_t Occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

uint64_t IkeSpiI(const WireFrame& f) {
  uint64_t spi = 0;
  for (int i = 0; i < 8; ++i) spi = spi << 8 | f.l4[8 + i];
  return spi;
}

bool FromOriginalInitiator(const WireFrame& f) { return f.l4[8 + 19] & 0x08; }

uint64_t InNoStates(const IkeWorld& w, int node) {
  return w.stacks[node]->Counters().Get(XfrmStat::kInNoStates);
}

void SetIkeLifetime(IkeWorld& w, double lifetime, double margin) {
  for (auto& d : w.daemons) {
    d->SetAttribute("IkeLifetime", ns3::TimeValue(ns3::Seconds(lifetime)));
    d->SetAttribute("IkeRekeyMargin", ns3::TimeValue(ns3::Seconds(margin)));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_sa_rekey)

BOOST_AUTO_TEST_CASE(stream_crosses_ike_sa_rekeys_without_loss_and_tshark_decrypts_them) {
  const std::string dir = ipsecsim::test::MakeTempDir("ike-sa-rekey");
  const std::string home = dir + "/home";
  const std::string table = home + "/.config/wireshark/ikev2_decryption_table";
  size_t encryptedIkeFrames = 0;
  {
    IkeWorld w(dir + "/ike");
    w.ConfigureDefault();
    // IKE SA rekeyed 3 s after it is made (a: 4 - 1), Child SAs 2 s after.
    SetIkeLifetime(w, 4, 1);
    for (ConnectionConfig* c : {&w.aConnection, &w.bConnection}) {
      c->saLifetimeSeconds = 3;
      c->rekeyMarginSeconds = 1;
    }
    w.Load();
    auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
    constexpr uint32_t kPackets = 400;  // 40 per second from 1 s to 11 s
    auto& atA =
        w.UdpSend(0, kReplyPort, kServicePort, kPackets, ns3::Seconds(1), ns3::MilliSeconds(25));
    w.Run(ns3::Seconds(11.5));
    BOOST_TEST_MESSAGE(DumpLogs(w));

    BOOST_TEST(atB.packets == kPackets);
    BOOST_TEST(atA.packets == kPackets);
    BOOST_TEST(InNoStates(w, 0) == 0u);
    BOOST_TEST(InNoStates(w, 1) == 0u);
    BOOST_TEST(w.Count([](const WireFrame& f) { return f.DstPort() == kServicePort; }) == 0u);

    // Rekeyed at ~4, ~7 and ~10 s, each time by a (the creator of each SA).
    BOOST_TEST(w.daemons[0]->Counters().ikeSasRekeyed == 3u);
    BOOST_TEST(w.daemons[1]->Counters().ikeSasRekeyed == 3u);
    BOOST_TEST(w.daemons[0]->Counters().childSasRekeyed >= 4u);  // Child SAs on the new IKE SAs
    const auto ike = w.Frames([](const WireFrame& f) { return f.IsIke(); });
    std::set<uint64_t> spis;
    for (const auto& f : ike) spis.insert(IkeSpiI(f));
    BOOST_TEST(spis.size() == 4u);  // the first IKE SA and three rekeyed ones
    // Every request comes from the IKE SA's initiator (a) or is answered;
    // the old IKE SAs end with an INFORMATIONAL Delete from a.
    for (const auto& f : ike)
      if (!f.IsIkeResponse() && f.IkeExchange() != kInformational) BOOST_TEST(f.sender == 0u);
    BOOST_TEST(w.Count([](const WireFrame& f) {
      return f.IkeExchange() == kInformational && f.sender == 0 && !f.IsIkeResponse();
    }) >= 3u);
    encryptedIkeFrames = ike.size() - 2;  // all but IKE_SA_INIT

    // Both ends name the same, newest, IKE SA; the table has all four.
    const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
    const ConnectionStatus b = w.daemons[1]->Status("b-from-a");
    BOOST_TEST(a.state == ConnectionState::kUp);
    BOOST_TEST(a.ikeSpiI == b.ikeSpiI);
    BOOST_TEST(a.ikeSpiR == b.ikeSpiR);
    BOOST_TEST(a.ikeSpiI == IkeSpiI(ike.back()));
    BOOST_REQUIRE_EQUAL(w.keys.ike.Records().size(), 4u);
    BOOST_TEST(w.keys.ike.Records().back().spiI == a.ikeSpiI);
    BOOST_TEST(w.keys.ike.Records().back().spiR == a.ikeSpiR);
    BOOST_REQUIRE(w.keys.ike.Write(table));
  }
  const auto out = ipsecsim::test::RunCommand("HOME=" + home + " tshark -r " + dir +
                                              "/ike-0-0.pcap -V -Y isakmp 2>&1");
  BOOST_REQUIRE_EQUAL(out.exitCode, 0);
  BOOST_TEST(Occurrences(out.output, " (16 bytes)[correct]") == encryptedIkeFrames);
  BOOST_TEST(Occurrences(out.output, "[incorrect") == 0u);
  // Three IKE SA rekeys: SA payloads proposing protocol IKE inside
  // CREATE_CHILD_SA, request and response, next to the two of IKE_SA_INIT,
  // and the three Deletes of the old IKE SAs.
  BOOST_TEST(Occurrences(out.output, "Protocol ID: IKE (1)") == 2u + 3u * 2u + 3u);
  BOOST_TEST(Occurrences(out.output, "SPI Size: 8") == 3u * 2u);
}

BOOST_AUTO_TEST_CASE(the_original_responder_rekeys_and_becomes_the_initiator) {
  IkeWorld w;
  w.ConfigureDefault();
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
  auto& atA = w.UdpSend(0, kReplyPort, kServicePort, 120, ns3::Seconds(1), ns3::MilliSeconds(25));
  bool ikeRekeyStarted = false, childRekeyStarted = false;
  ns3::Simulator::Schedule(ns3::Seconds(2),
                           [&]() { ikeRekeyStarted = w.daemons[1]->RekeyIkeSa("b-from-a"); });
  // A Child SA rekey on the new IKE SA: KEYMAT from its SK_d on both ends.
  ns3::Simulator::Schedule(ns3::Seconds(3),
                           [&]() { childRekeyStarted = w.daemons[0]->RekeyChildSa("a-to-b"); });
  w.Run(ns3::Seconds(4.5));
  BOOST_TEST_MESSAGE(DumpLogs(w));
  BOOST_TEST(ikeRekeyStarted);
  BOOST_TEST(childRekeyStarted);
  BOOST_TEST(atB.packets == 120u);
  BOOST_TEST(atA.packets == 120u);
  BOOST_TEST(InNoStates(w, 0) == 0u);
  BOOST_TEST(InNoStates(w, 1) == 0u);
  BOOST_TEST(w.daemons[0]->Counters().childSasRekeyed == 1u);

  const auto ccs = w.Frames([](const WireFrame& f) { return f.IkeExchange() == kCreateChildSa; });
  BOOST_REQUIRE_EQUAL(ccs.size(), 4u);  // IKE SA rekey from b, then Child SA rekey from a
  BOOST_TEST(ccs[0].sender == 1u);
  BOOST_TEST(!FromOriginalInitiator(ccs[0]));  // a made the old IKE SA
  const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
  const ConnectionStatus b = w.daemons[1]->Status("b-from-a");
  BOOST_TEST(a.ikeSpiI == b.ikeSpiI);
  BOOST_TEST(a.ikeSpiR == b.ikeSpiR);
  // On the new IKE SA b is the initiator: a's Child SA rekey request carries
  // SPIi = b's SPI and no I flag.
  BOOST_TEST(ccs[2].sender == 0u);
  BOOST_TEST(!FromOriginalInitiator(ccs[2]));
  BOOST_TEST(IkeSpiI(ccs[2]) == b.ikeSpiI);
  BOOST_TEST(w.stacks[0]->States().Size() == 2u);
  BOOST_TEST(w.stacks[1]->States().Size() == 2u);
}

// RFC 7296 §2.8.2: both ends rekey the IKE SA at once (up to 1 ms apart, so
// the requests cross). Each end ends with the same single IKE SA: the
// redundant one (lowest nonce) is deleted by its creator, the old one by
// the creator of the survivor; a Child SA rekey on the survivor works and
// no datagram is lost.
BOOST_AUTO_TEST_CASE(colliding_ike_sa_rekeys_leave_one_ike_sa) {
  std::set<int> winners;
  for (int seed = 0; seed < 6; ++seed) {
    for (double offsetMs : {0.0, 0.5, 1.0}) {
      IkeWorld w;
      for (int i = 0; i < 2; ++i)
        w.daemons[i]->SetAttribute("Seed", ns3::UintegerValue(200 + 10 * seed + i));
      w.ConfigureDefault();
      w.Load();
      auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
      auto& atA =
          w.UdpSend(0, kReplyPort, kServicePort, 160, ns3::Seconds(1), ns3::MilliSeconds(25));
      bool started[2] = {false, false};
      ns3::Simulator::Schedule(ns3::Seconds(2),
                               [&]() { started[0] = w.daemons[0]->RekeyIkeSa("a-to-b"); });
      ns3::Simulator::Schedule(ns3::Seconds(2) + ns3::MicroSeconds(int64_t(offsetMs * 1000)),
                               [&]() { started[1] = w.daemons[1]->RekeyIkeSa("b-from-a"); });
      ns3::Simulator::Schedule(ns3::Seconds(3), [&]() { w.daemons[0]->RekeyChildSa("a-to-b"); });
      w.Run(ns3::Seconds(5.5));
      BOOST_TEST_CONTEXT("seed " << seed << " offset " << offsetMs << " ms\n" << DumpLogs(w)) {
        BOOST_TEST(started[0]);
        BOOST_TEST(started[1]);
        const auto& ca = w.daemons[0]->Counters();
        const auto& cb = w.daemons[1]->Counters();
        BOOST_TEST(ca.ikeRekeyCollisions == 1u);
        BOOST_TEST(cb.ikeRekeyCollisions == 1u);
        BOOST_TEST(ca.ikeSasRekeyed == 2u);  // both exchanges completed on both ends
        BOOST_TEST(cb.ikeSasRekeyed == 2u);
        BOOST_TEST(ca.childSasRekeyed == 1u);
        BOOST_TEST(atB.packets == 160u);
        BOOST_TEST(atA.packets == 160u);
        BOOST_TEST(InNoStates(w, 0) == 0u);
        BOOST_TEST(InNoStates(w, 1) == 0u);
        BOOST_TEST(ca.unknownSpi + cb.unknownSpi + ca.dropped + cb.dropped == 0u);
        BOOST_TEST(ca.deadPeers + cb.deadPeers == 0u);
        // Two Deletes of IKE SAs: the old one and the redundant one.
        BOOST_TEST(w.Count([](const WireFrame& f) {
          return f.IkeExchange() == kInformational && !f.IsIkeResponse();
        }) >= 2u + 1u);  // and the Delete of the Child SA replaced at 3 s
        const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
        const ConnectionStatus b = w.daemons[1]->Status("b-from-a");
        BOOST_TEST(a.ikeSpiI == b.ikeSpiI);
        BOOST_TEST(a.ikeSpiR == b.ikeSpiR);
        // The Child SA rekey at 3 s and its Delete ran on the survivor.
        const auto ike = w.Frames([](const WireFrame& f) { return f.IsIke(); });
        BOOST_TEST(IkeSpiI(ike.back()) == a.ikeSpiI);
        BOOST_TEST(w.stacks[0]->States().Size() == 2u);
        BOOST_TEST(w.stacks[1]->States().Size() == 2u);
        winners.insert(IkeSpiI(ike.back()) == w.keys.ike.Records()[1].spiI ? 1 : 2);
      }
    }
  }
  BOOST_TEST(winners.size() == 2u);  // either rekey survived at least once
}

BOOST_AUTO_TEST_SUITE_END()
