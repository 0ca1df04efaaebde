// Forced UDP encapsulation (Libreswan encapsulation=yes) on the simulated
// wire: IKE_SA_INIT on UDP 500, everything after on UDP 4500 behind the
// non-ESP marker, ESP only inside UDP 4500; and why IBM Cloud needs it.
#include <boost/test/unit_test.hpp>

#include "test_ike_natt_world.h"

using namespace ike_natt_test;

namespace {

constexpr int kIkeSaInit = 34;
constexpr int kIkeAuth = 35;

size_t CountBoth(const NattWorld& w, const std::function<bool(const SeenFrame&)>& match) {
  return w.aSends->Count(match) + w.bSends->Count(match);
}

uint64_t FirewallDrops(const NattWorld& w) {
  uint64_t n = 0;
  for (const auto& f : w.firewalls) n += f->Dropped();
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_natt_forced)

BOOST_AUTO_TEST_CASE(forced_encapsulation_floats_ike_and_esp_to_udp_4500) {
  WorldOptions options;
  options.forceEncapsulation = true;
  NattWorld w(options);
  for (int i = 0; i < 5; ++i) w.SendFromA(1.0 + 0.1 * i);
  w.SendFromB(2.0);
  w.Run(ns3::Seconds(45));
  BOOST_TEST_INFO(w.Logs());
  BOOST_TEST(w.atB.packets == 5u);
  BOOST_TEST(w.atA.packets == 1u);

  // IKE_SA_INIT, both ways, on UDP 500; IKE_AUTH only on 4500 with the marker.
  auto initOn500 = [](const SeenFrame& f) {
    return IkeExchange(f) == kIkeSaInit && f.sourcePort == 500 && f.destinationPort == 500;
  };
  BOOST_TEST(w.aSends->Count(initOn500) == 1u);
  BOOST_TEST(w.bSends->Count(initOn500) == 1u);
  auto authOn4500 = [](const SeenFrame& f) {
    return IkeExchange(f) == kIkeAuth && IsMarkedIke(f) && f.sourcePort == kNattPort &&
           f.destinationPort == kNattPort;
  };
  BOOST_TEST(w.aSends->Count(authOn4500) == 1u);
  BOOST_TEST(w.bSends->Count(authOn4500) == 1u);
  BOOST_TEST(CountBoth(w, [](const SeenFrame& f) {
               return f.destinationPort == 500 && IkeExchange(f) == kIkeAuth;
             }) == 0u);

  // ESP: in UDP 4500 with checksum 0, never as IP protocol 50.
  BOOST_TEST(CountBoth(w, [](const SeenFrame& f) { return f.IsEsp(); }) == 0u);
  BOOST_TEST(w.aSends->Count([](const SeenFrame& f) {
    return IsUdpEncapEsp(f) && f.sourcePort == kNattPort && f.destinationPort == kNattPort &&
           f.l4[6] == 0 && f.l4[7] == 0;
  }) == 5u);
  BOOST_TEST(w.bSends->Count(IsUdpEncapEsp) == 1u);
  for (const auto& stack : w.stacks)
    for (const xfrm::State* state : stack->States().All()) {
      BOOST_TEST(state->config.encap.has_value());
      BOOST_TEST(state->config.encap->srcPort == kNattPort);
      BOOST_TEST(state->config.encap->dstPort == kNattPort);
    }

  // Libreswan's encapsulation=yes counts as "behind a NAT": both ends send
  // a keepalive every 20 s, which the peer's xfrm drops.
  std::vector<ns3::Time> aKeepalives;
  for (const SeenFrame& f : w.aSends->frames)
    if (IsKeepalive(f) && f.sourcePort == kNattPort && f.destinationPort == kNattPort)
      aKeepalives.push_back(f.time);
  BOOST_REQUIRE(aKeepalives.size() == 2u);
  BOOST_TEST((aKeepalives[1] - aKeepalives[0]).GetSeconds() == 20.0,
             boost::test_tools::tolerance(1e-6));
  BOOST_TEST(w.bSends->Count(IsKeepalive) == 2u);
  BOOST_TEST(w.stacks[1]->Stats().nattKeepalivesDropped == 2u);
  BOOST_TEST(w.daemons[0]->Counters().nattFloats == 1u);
  BOOST_TEST(w.daemons[1]->Counters().nattFloats == 1u);
}

BOOST_AUTO_TEST_CASE(ibmcloud_drops_plain_esp_and_forced_encapsulation_gets_through) {
  {
    WorldOptions options;
    options.platformDropsEsp = true;  // ibmcloud
    NattWorld w(options);
    for (int i = 0; i < 5; ++i) w.SendFromA(1.0 + 0.1 * i);
    w.Run(ns3::Seconds(3));
    BOOST_TEST_INFO(w.Logs());
    // IKE on UDP 500 passes, so the SA comes up; its ESP does not.
    BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp);
    BOOST_TEST(w.aSends->Count([](const SeenFrame& f) { return f.IsEsp(); }) == 5u);
    BOOST_TEST(w.bGets->Count([](const SeenFrame& f) { return f.IsEsp(); }) == 0u);
    BOOST_TEST(w.atB.packets == 0u);
    BOOST_TEST(FirewallDrops(w) == 5u);
    BOOST_TEST(w.daemons[0]->Counters().nattFloats == 0u);
  }
  {
    WorldOptions options;
    options.platformDropsEsp = true;  // ibmcloud
    options.forceEncapsulation = true;
    NattWorld w(options);
    for (int i = 0; i < 5; ++i) w.SendFromA(1.0 + 0.1 * i);
    w.Run(ns3::Seconds(3));
    BOOST_TEST_INFO(w.Logs());
    BOOST_TEST(w.atB.packets == 5u);
    BOOST_TEST(w.bGets->Count(IsUdpEncapEsp) == 5u);
    BOOST_TEST(w.aSends->Count([](const SeenFrame& f) { return f.IsEsp(); }) == 0u);
    BOOST_TEST(FirewallDrops(w) == 0u);
  }
}

BOOST_AUTO_TEST_SUITE_END()
