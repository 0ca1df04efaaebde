// Node a behind a NAPT box: the NAT_DETECTION notifies reveal it, IKE floats
// to UDP 4500, ESP in UDP crosses the NAT for minutes while a's keepalives
// hold the mapping open; without keepalives the mapping times out and the
// next packet from b is dropped by the NAT.
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "test_ike_natt_world.h"

using namespace ike_natt_test;

namespace {

constexpr int kIkeAuth = 35;

// a sends at 1 s and 100 s, b at 150 s, after more than the NAT's 30 s of silence.
void RunIdleMinutes(NattWorld& w) {
  for (int i = 0; i < 3; ++i) w.SendFromA(1.0 + 0.1 * i);
  w.SendFromA(100.0);
  w.SendFromB(150.0);
  w.Run(ns3::Seconds(152));
}

// The outbound state b installed towards a's public address.
const xfrm::State* BToA(const NattWorld& w) {
  for (const xfrm::State* s : w.stacks[1]->States().All())
    if (s->config.dst == ns3::Address(NattWorld::PublicAddress())) return s;
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_natt_napt)

BOOST_AUTO_TEST_CASE(nat_detected_float_and_keepalives_keep_the_mapping) {
  WorldOptions options;
  options.natInFrontOfA = true;
  NattWorld w(options);
  RunIdleMinutes(w);
  BOOST_TEST_INFO(w.Logs());

  // IKE_AUTH leaves a from 4500 and reaches b from the NAT's public address
  // and another port: that is where b answers and sends ESP.
  BOOST_TEST(w.aSends->Count([](const SeenFrame& f) {
    return IkeExchange(f) == kIkeAuth && f.sourcePort == kNattPort && IsMarkedIke(f);
  }) == 1u);
  uint16_t mappedPort = 0;
  for (const SeenFrame& f : w.bGets->frames)
    if (IkeExchange(f) == kIkeAuth && f.source == NattWorld::PublicAddress())
      mappedPort = f.sourcePort;
  BOOST_TEST(mappedPort != 0);
  BOOST_TEST(mappedPort != kNattPort);
  const xfrm::State* out = BToA(w);
  BOOST_REQUIRE(out);
  BOOST_REQUIRE(out->config.encap.has_value());
  BOOST_TEST(out->config.encap->dstPort == mappedPort);
  BOOST_TEST(out->config.encap->srcPort == kNattPort);
  BOOST_TEST(w.bSends->Count([&](const SeenFrame& f) {
    return IsUdpEncapEsp(f) && f.destination == NattWorld::PublicAddress() &&
           f.destinationPort == mappedPort && f.time >= ns3::Seconds(150);
  }) == 1u);

  // Traffic both ways, minutes apart; nothing as protocol 50.
  BOOST_TEST(w.atB.packets == 4u);
  BOOST_TEST(w.atA.packets == 1u);
  BOOST_TEST(w.nat->Counters().espDropped == 0u);
  BOOST_TEST(w.nat->Counters().inboundExpiredMapping + w.nat->Counters().inboundNoMapping == 0u);

  // Only a is behind the NAT, so only a sends keepalives, every 20 s.
  std::vector<ns3::Time> keepalives;
  for (const SeenFrame& f : w.aSends->frames)
    if (IsKeepalive(f)) keepalives.push_back(f.time);
  BOOST_TEST(keepalives.size() == 7u);
  for (size_t i = 1; i < keepalives.size(); ++i)
    BOOST_TEST(std::abs((keepalives[i] - keepalives[i - 1]).GetSeconds() - 20.0) < 0.01);  // ARP
  BOOST_TEST(w.bSends->Count(IsKeepalive) == 0u);
  BOOST_TEST(w.bGets->Count([](const SeenFrame& f) {
    return IsKeepalive(f) && f.source == NattWorld::PublicAddress();
  }) == 7u);
}

BOOST_AUTO_TEST_CASE(without_keepalives_the_mapping_expires_and_b_is_cut_off) {
  WorldOptions options;
  options.natInFrontOfA = true;
  options.keepaliveInterval = ns3::Seconds(0);
  NattWorld w(options);
  RunIdleMinutes(w);
  BOOST_TEST_INFO(w.Logs());

  BOOST_TEST(w.aSends->Count(IsKeepalive) == 0u);
  BOOST_TEST(w.atB.packets == 4u);  // a's own packets recreate a mapping
  // b still has its SA and sends to the old mapping: the NAT drops it.
  BOOST_TEST(w.daemons[1]->Status("b-from-a").state == ConnectionState::kUp);
  BOOST_TEST(w.bSends->Count([](const SeenFrame& f) {
    return IsUdpEncapEsp(f) && f.destination == NattWorld::PublicAddress() &&
           f.time >= ns3::Seconds(150);
  }) == 1u);
  BOOST_TEST(w.atA.packets == 0u);
  BOOST_TEST(w.nat->MappingsExpired() >= 2u);
  BOOST_TEST(w.nat->Counters().inboundExpiredMapping + w.nat->Counters().inboundNoMapping +
                 w.nat->Counters().inboundWrongRemote ==
             1u);
}

// IKE SA rekeys of a floated IKE SA: the CREATE_CHILD_SA and the Delete of
// the old IKE SA stay on UDP 4500 behind the marker, through the NAT; the
// new IKE SA keeps the NAT's mapping and a's keepalives; nothing is lost.
BOOST_AUTO_TEST_CASE(ike_sa_rekeys_stay_on_udp_4500_through_the_nat) {
  WorldOptions options;
  options.natInFrontOfA = true;
  options.keepaliveInterval = ns3::Seconds(2);
  NattWorld w(options);
  for (auto& d : w.daemons) {
    d->SetAttribute("IkeLifetime", ns3::TimeValue(ns3::Seconds(4)));
    d->SetAttribute("IkeRekeyMargin", ns3::TimeValue(ns3::Seconds(1)));
  }
  constexpr int kPackets = 80;  // from a at 1 s to 8.9 s, b answers each second
  for (int i = 0; i < kPackets; ++i) w.SendFromA(1.0 + 0.1 * i);
  for (int i = 0; i < 8; ++i) w.SendFromB(1.5 + i);
  w.Run(ns3::Seconds(9.5));
  BOOST_TEST_INFO(w.Logs());
  BOOST_TEST(w.atB.packets == uint32_t(kPackets));
  BOOST_TEST(w.atA.packets == 8u);
  BOOST_TEST(w.daemons[0]->Counters().ikeSasRekeyed == 2u);  // ~4 s and ~7 s
  BOOST_TEST(w.daemons[1]->Counters().ikeSasRekeyed == 2u);
  constexpr int kCreateChildSa = 36;
  constexpr int kInformational = 37;
  const auto marked = [](int exchange) {
    return [exchange](const SeenFrame& f) {
      return IkeExchange(f) == exchange && IsMarkedIke(f) && f.sourcePort == kNattPort;
    };
  };
  BOOST_TEST(w.aSends->Count(marked(kCreateChildSa)) == 2u);  // the requests, from a
  BOOST_TEST(w.bSends->Count(marked(kCreateChildSa)) == 2u);  // the responses
  BOOST_TEST(w.aSends->Count(marked(kInformational)) >= 2u);  // Deletes of the old IKE SAs
  BOOST_TEST(w.aSends->Count([](const SeenFrame& f) { return f.destinationPort == 500; }) == 1u);
  // a's keepalives keep their 2 s rhythm across the rekeys: 3, 5, 7, 9 s.
  BOOST_TEST(w.aSends->Count(IsKeepalive) == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
