// IKEv2 between two IPv6 hosts: IKE on UDP 500 over IPv6, a Child SA whose
// TSi/TSr are TS_IPV6_ADDR_RANGE selectors naming both hosts, ESP as IPv6
// next header 50; with encapsulation forced, IKE floats to UDP 4500 (the
// xfrm stack hands IPv6 IKE on 4500 to the daemon) and ESP travels in UDP
// 4500 over IPv6. Frames are read from the wire.
#include <boost/test/unit_test.hpp>

#include "encrypted_payload.h"
#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

constexpr uint8_t kIkeSaInit = 34;
constexpr uint8_t kIkeAuth = 35;
constexpr uint16_t kNattPort = 4500;

bool IsUdp4500(const WireFrame& f) {
  return f.protocol == 17 && f.IsFirstFragment() && f.l4.size() >= 9 && f.SrcPort() == kNattPort &&
         f.DstPort() == kNattPort;
}
// RFC 3948: four zero bytes (the non-ESP marker) before the IKE header.
bool IsMarkedIke(const WireFrame& f) {
  return IsUdp4500(f) && f.l4.size() >= 8 + 4 + 28 && GetU32(f.l4.data() + 8) == 0;
}
bool IsUdpEncapEsp(const WireFrame& f) {
  return IsUdp4500(f) && f.l4.size() >= 8 + 8 && GetU32(f.l4.data() + 8) != 0;
}
bool IsKeepalive(const WireFrame& f) { return IsUdp4500(f) && f.l4.size() == 9 && f.l4[8] == 0xff; }

// The IKE_AUTH request as a parsed message: the first fragment's UDP
// payload, continued by the later fragments a sent after it.
Bytes IkeAuthRequest(const IkeWorld& w) {
  Bytes datagram;
  bool collecting = false;
  for (const WireFrame& f : w.wire) {
    if (f.sender != 0) continue;
    if (f.IsIke() && f.IkeExchange() == kIkeAuth && !f.IsIkeResponse()) {
      datagram.assign(f.l4.begin() + 8, f.l4.end());
      collecting = true;
    } else if (collecting && !f.IsFirstFragment()) {
      datagram.insert(datagram.end(), f.l4.begin(), f.l4.end());
    } else if (collecting) {
      break;
    }
  }
  return datagram;
}

// TSi and TSr of a's IKE_AUTH request, opened with the recorded SK_ei.
std::vector<TrafficSelector> AuthRequestSelectors(const IkeWorld& w) {
  const Bytes datagram = IkeAuthRequest(w);
  auto parsed = ParseMessage(datagram);
  BOOST_REQUIRE_MESSAGE(parsed.Ok(), parsed.Error().ToString());
  BOOST_REQUIRE_EQUAL(w.keys.ike.Records().size(), 1u);
  std::string error;
  auto cipher = SkCipher::FromKeymat(w.keys.ike.Records()[0].skEi, &error);
  BOOST_REQUIRE_MESSAGE(cipher, error);
  auto inner = cipher->Open(datagram, *BodyOf<EncryptedPayload>(&parsed.Value().payloads.back()));
  BOOST_REQUIRE_MESSAGE(inner.Ok(), inner.Error().ToString());
  std::vector<TrafficSelector> selectors;
  for (PayloadType type : {PayloadType::kTsi, PayloadType::kTsr}) {
    const auto* ts = BodyOf<TsPayload>(FindPayload(inner.Value(), type));
    BOOST_REQUIRE(ts);
    selectors.insert(selectors.end(), ts->selectors.begin(), ts->selectors.end());
  }
  return selectors;
}

// a-to-b between two IPv6 hosts: five datagrams from a to b:5001 from 1 s
// on, 100 ms apart, each echoed by b.
struct Ipv6Exchange {
  IkeWorld w{"", /*ipv6=*/true};
  IkeWorld::Sink* atB = nullptr;
  IkeWorld::Sink* echoes = nullptr;

  // Set daemon attributes before.
  void Run(AutoMode aMode, ns3::Time end) {
    w.ConfigureDefault();
    w.aConnection.autoMode = aMode;
    w.Load();
    atB = &w.UdpSink(1, kServicePort, /*echo=*/true);
    echoes = &w.UdpSend(0, kReplyPort, kServicePort, 5, ns3::Seconds(1));
    w.Run(end);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_exchange_ipv6)

BOOST_AUTO_TEST_CASE(auto_start_over_ipv6_negotiates_ipv6_selectors_and_esp) {
  Ipv6Exchange x;
  x.Run(AutoMode::kStart, ns3::Seconds(2));
  const IkeWorld& w = x.w;
  BOOST_TEST_INFO(DumpLogs(w));

  const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
  const ConnectionStatus b = w.daemons[1]->Status("b-from-a");
  BOOST_REQUIRE_EQUAL(a.state, ConnectionState::kUp);
  BOOST_REQUIRE_EQUAL(b.state, ConnectionState::kUp);
  BOOST_TEST(a.spiOut == b.spiIn);
  BOOST_TEST(a.spiIn == b.spiOut);
  BOOST_TEST(a.peerId == "@system-b");

  // Nothing went over IPv4; IKE_SA_INIT and IKE_AUTH, request then response,
  // on UDP 500 over IPv6.
  BOOST_TEST(w.Count([](const WireFrame& f) { return !f.ipv6; }) == 0u);
  const auto ike = w.Frames([](const WireFrame& f) { return f.IsIke(); });
  BOOST_REQUIRE_EQUAL(ike.size(), 4u);
  const uint8_t exchanges[] = {kIkeSaInit, kIkeSaInit, kIkeAuth, kIkeAuth};
  for (size_t i = 0; i < ike.size(); ++i) {
    BOOST_TEST(ike[i].IkeExchange() == exchanges[i]);
    BOOST_TEST(ike[i].sender == i % 2);
    BOOST_TEST(ike[i].SrcPort() == 500);
  }

  // RFC 7296 §3.13.1: type 8, UDP, a's any port -> b's 5001, each a single address.
  const std::vector<TrafficSelector> ts = AuthRequestSelectors(w);
  BOOST_REQUIRE_EQUAL(ts.size(), 2u);
  const IpAddress ipA = IpAddressOf(w.address6[0]), ipB = IpAddressOf(w.address6[1]);
  BOOST_TEST(ts[0].TsType() == kTsIpv6AddrRange);
  BOOST_TEST(ts[1].TsType() == kTsIpv6AddrRange);
  BOOST_TEST((ts[0] == TrafficSelector{17, 0, 65535, ipA, ipA}));
  BOOST_TEST((ts[1] == TrafficSelector{17, kServicePort, kServicePort, ipB, ipB}));

  // The flow: ESP (IPv6 next header 50) with the negotiated SPIs, never in clear.
  BOOST_TEST(x.atB->packets == 5u);
  BOOST_TEST(x.echoes->packets == 5u);
  BOOST_TEST(w.Count([&](const WireFrame& f) { return f.EspSpi() == a.spiOut; }) == 5u);
  BOOST_TEST(w.Count([&](const WireFrame& f) { return f.EspSpi() == a.spiIn; }) == 5u);
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.protocol == 17 && (f.DstPort() == kServicePort || f.SrcPort() == kServicePort);
  }) == 0u);
  // The kernel side: IPv6 states on both ends.
  BOOST_TEST(w.stacks[1]->States().FindInbound(b.spiIn, ns3::Address(w.address6[1]),
                                               xfrm::kProtoEsp) != nullptr);
  BOOST_TEST(w.stacks[0]->States().FindInbound(a.spiIn, ns3::Address(w.address6[0]),
                                               xfrm::kProtoEsp) != nullptr);
  BOOST_TEST(w.stacks[1]->Stats().inDecrypted == 5u);
}

BOOST_AUTO_TEST_CASE(forced_encapsulation_over_ipv6_floats_ike_and_esp_to_udp_4500) {
  Ipv6Exchange x;
  for (auto& d : x.w.daemons) {
    d->SetAttribute("ForceEncapsulation", ns3::BooleanValue(true));
    d->SetAttribute("NattKeepaliveInterval", ns3::TimeValue(ns3::Seconds(1)));
  }
  x.Run(AutoMode::kStart, ns3::Seconds(3.5));
  const IkeWorld& w = x.w;
  BOOST_TEST_INFO(DumpLogs(w));
  BOOST_REQUIRE_EQUAL(w.daemons[0]->Status("a-to-b").state, ConnectionState::kUp);
  BOOST_TEST(x.atB->packets == 5u);
  BOOST_TEST(x.echoes->packets == 5u);
  BOOST_TEST(w.Count([](const WireFrame& f) { return !f.ipv6; }) == 0u);

  // IKE_SA_INIT on 500 both ways; IKE_AUTH only on 4500 behind the marker.
  const auto init = w.Frames([](const WireFrame& f) { return f.IsIke(); });
  BOOST_REQUIRE_EQUAL(init.size(), 2u);
  BOOST_TEST(init[0].IkeExchange() == kIkeSaInit);
  BOOST_TEST(init[1].IkeExchange() == kIkeSaInit);
  const auto auth = w.Frames(IsMarkedIke);
  BOOST_REQUIRE_EQUAL(auth.size(), 2u);
  BOOST_TEST(auth[0].sender == 0u);
  BOOST_TEST(auth[1].sender == 1u);
  BOOST_TEST(auth[0].l4[8 + 4 + 18] == kIkeAuth);
  // The IKE on 4500 reached the daemons through xfrm, not the sockets.
  BOOST_TEST(w.stacks[1]->Stats().nattIkePackets == 1u);
  BOOST_TEST(w.stacks[0]->Stats().nattIkePackets == 1u);
  BOOST_TEST(w.daemons[0]->Counters().nattFloats == 1u);
  BOOST_TEST(w.daemons[1]->Counters().nattFloats == 1u);

  // ESP only in UDP 4500, with a real UDP checksum (IPv6 requires one).
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.protocol == 50; }) == 0u);
  const auto esp = w.Frames(IsUdpEncapEsp);
  BOOST_TEST(esp.size() == 10u);
  for (const WireFrame& f : esp) BOOST_TEST((f.l4[6] << 8 | f.l4[7]) != 0);
  BOOST_TEST(w.stacks[1]->Stats().inDecrypted == 5u);

  // Both ends force, so both send keepalives, 1 s apart, over IPv6.
  BOOST_TEST(w.Count([](const WireFrame& f) { return IsKeepalive(f) && f.sender == 0; }) >= 2u);
  BOOST_TEST(w.Count([](const WireFrame& f) { return IsKeepalive(f) && f.sender == 1; }) >= 2u);
  BOOST_TEST(w.stacks[1]->Stats().nattKeepalivesDropped >= 2u);
  BOOST_TEST(w.daemons[0]->Counters().malformed + w.daemons[1]->Counters().malformed == 0u);
}

BOOST_AUTO_TEST_CASE(an_ipv6_datagram_fires_the_acquire_and_waits_for_the_sa) {
  Ipv6Exchange x;  // the world's stacks hold trapped packets (HoldUntilSa)
  x.Run(AutoMode::kRoute, ns3::Seconds(2));
  const IkeWorld& w = x.w;
  BOOST_TEST_INFO(DumpLogs(w));
  BOOST_REQUIRE_EQUAL(w.daemons[0]->Status("a-to-b").state, ConnectionState::kUp);
  BOOST_TEST(w.daemons[0]->Counters().acquires == 1u);
  BOOST_TEST(w.stacks[0]->Stats().acquires == 1u);
  BOOST_TEST(w.stacks[0]->Stats().heldReleased == 1u);
  BOOST_TEST(w.stacks[0]->Counters().Get(XfrmStat::kOutNoStates) == 0u);
  // Nothing before the first datagram; then the four IKE messages, then ESP.
  const auto ike = w.Frames([](const WireFrame& f) { return f.IsIke(); });
  BOOST_REQUIRE_EQUAL(ike.size(), 4u);
  BOOST_TEST(ike[0].time >= ns3::Seconds(1));
  const auto esp = w.Frames([](const WireFrame& f) { return f.EspSpi() != 0; });
  BOOST_REQUIRE(!esp.empty());
  BOOST_TEST(esp[0].time > ike[3].time);
  BOOST_TEST(x.atB->packets == 5u);
  BOOST_TEST(x.echoes->packets == 5u);
}

BOOST_AUTO_TEST_CASE(without_holding_the_trapped_ipv6_datagram_is_dropped) {
  Ipv6Exchange x;
  x.w.stacks[0]->SetAttribute("HoldUntilSa", ns3::BooleanValue(false));  // larval drop
  x.Run(AutoMode::kRoute, ns3::Seconds(2));
  const IkeWorld& w = x.w;
  BOOST_REQUIRE_EQUAL(w.daemons[0]->Status("a-to-b").state, ConnectionState::kUp);
  BOOST_TEST(w.stacks[0]->Stats().acquires == 1u);
  BOOST_TEST(w.stacks[0]->Counters().Get(XfrmStat::kOutNoStates) == 1u);
  BOOST_TEST(x.atB->packets == 4u);
  BOOST_TEST(x.echoes->packets == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
