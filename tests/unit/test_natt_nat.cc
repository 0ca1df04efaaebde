// NaptBox on the wire: a host behind the NAT, peers on the switch.
//   host 10.0.0.11 <-> NAT (public 10.0.0.200) <-> switch <-> peer 10.0.0.12, other 10.0.0.13
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdlib>

#include "address_rewrite.h"
#include "napt_placement.h"
#include "test_natt_support.h"

using namespace ipsecsim::natt;
using namespace natt_test;

BOOST_AUTO_TEST_SUITE(natt_napt)

namespace {

const ns3::Ipv4Address kHost("10.0.0.11");
const ns3::Ipv4Address kPeer("10.0.0.12");
const ns3::Ipv4Address kOther("10.0.0.13");
const ns3::Ipv4Address kPublic("10.0.0.200");

struct NatWorld {
  explicit NatWorld(ns3::Ptr<NaptBox> box = nullptr) {
    ns3::GlobalValue::Bind("ChecksumEnabled", ns3::BooleanValue(true));
    host = ns3::CreateObject<ns3::Node>();
    peers.Create(2);
    switchNode = ns3::CreateObject<ns3::Node>();
    ns3::CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", ns3::StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", ns3::TimeValue(ns3::MicroSeconds(25)));
    nat = PlaceNaptBetween(csma, host, switchNode, kPublic, box);
    ns3::NetDeviceContainer ports(nat.switchPort);
    for (uint32_t i = 0; i < 2; ++i) {
      ns3::NetDeviceContainer link = csma.Install(ns3::NodeContainer(peers.Get(i), switchNode));
      peerNics.Add(link.Get(0));
      ports.Add(link.Get(1));
    }
    ns3::BridgeHelper().Install(switchNode, ports);
    ns3::InternetStackHelper internet;
    internet.Install(host);
    internet.Install(peers);
    ns3::Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.0", "0.0.0.11");
    addresses.Assign(ns3::NetDeviceContainer(nat.hostNic, peerNics));
    hostSent = std::make_unique<WireTap>(nat.hostNic, "PhyTxBegin");
    hostReceived = std::make_unique<WireTap>(nat.hostNic, "MacRx");
    natSentOutside = std::make_unique<WireTap>(nat.natOutside, "PhyTxBegin");
    peerSent = std::make_unique<WireTap>(peerNics.Get(0), "PhyTxBegin");
    peerReceived = std::make_unique<WireTap>(peerNics.Get(0), "MacRx");
  }
  ~NatWorld() {
    ns3::Simulator::Destroy();
    ns3::GlobalValue::Bind("ChecksumEnabled", ns3::BooleanValue(false));
  }
  ns3::Ptr<ns3::Node> Peer() const { return peers.Get(0); }
  ns3::Ptr<ns3::Node> Other() const { return peers.Get(1); }
  const NaptCounters& Counters() const { return nat.box->Counters(); }

  ns3::Ptr<ns3::Node> host;
  ns3::NodeContainer peers;
  ns3::Ptr<ns3::Node> switchNode;
  NaptPlacement nat;
  ns3::NetDeviceContainer peerNics;
  std::unique_ptr<WireTap> hostSent, hostReceived, natSentOutside, peerSent, peerReceived;
};

// A UDP socket that records what it receives (time, sender, size) and can
// answer each datagram to its sender.
struct UdpEndpoint {
  UdpEndpoint(ns3::Ptr<ns3::Node> node, uint16_t port, bool echo = false) {
    socket = UdpSocket(node, port);
    socket->SetRecvCallback(
        ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, echo](ns3::Ptr<ns3::Socket> s) {
          ns3::Address from;
          while (ns3::Ptr<ns3::Packet> p = s->RecvFrom(from)) {
            received.push_back(
                {ns3::Simulator::Now(), ns3::InetSocketAddress::ConvertFrom(from), p->GetSize()});
            if (echo) s->SendTo(p, 0, from);
          }
        }));
  }
  struct Datagram {
    ns3::Time time;
    ns3::InetSocketAddress from;
    uint32_t size;
  };
  ns3::Ptr<ns3::Socket> socket;
  std::vector<Datagram> received;
};

}  // namespace

BOOST_AUTO_TEST_CASE(translates_address_and_port_both_ways_with_valid_checksums) {
  auto box = ns3::CreateObject<NaptBox>();
  box->SetAttribute("PortPreservation", ns3::BooleanValue(false));
  box->SetAttribute("FirstPort", ns3::UintegerValue(20000));
  NatWorld w(box);
  UdpEndpoint hostIke(w.host, 4500);
  UdpEndpoint peerIke(w.Peer(), 4500, /*echo=*/true);
  for (int i = 0; i < 3; ++i) SendUdpAt(1.0 + i, hostIke.socket, kPeer, 4500);
  ns3::Simulator::Stop(ns3::Seconds(5));
  ns3::Simulator::Run();

  // Inside: the host's own address and port, both ways.
  BOOST_TEST(w.hostSent->Count([](const SeenFrame& f) {
    return f.source == kHost && f.IsUdpFrom(4500) && f.destination == kPeer;
  }) == 3u);
  BOOST_TEST(w.hostReceived->Count([](const SeenFrame& f) {
    return f.source == kPeer && f.IsUdpFrom(4500) && f.destination == kHost && f.IsUdpTo(4500);
  }) == 3u);
  // Outside: the public address and the mapped port, both ways.
  BOOST_TEST(w.natSentOutside->Count([](const SeenFrame& f) {
    return f.source == kPublic && f.IsUdpFrom(20000) && f.IsUdpTo(4500);
  }) == 3u);
  BOOST_TEST(w.natSentOutside->Count([](const SeenFrame& f) { return f.source == kHost; }) == 0u);
  BOOST_TEST(w.peerSent->Count([](const SeenFrame& f) {
    return f.destination == kPublic && f.IsUdpTo(20000);
  }) == 3u);
  // Both applications got every datagram (ns-3 verifies IPv4 and UDP checksums here).
  BOOST_REQUIRE(peerIke.received.size() == 3u);
  BOOST_TEST(peerIke.received[0].from.GetIpv4() == kPublic);
  BOOST_TEST(peerIke.received[0].from.GetPort() == 20000);
  BOOST_REQUIRE(hostIke.received.size() == 3u);
  BOOST_TEST(hostIke.received[2].from.GetIpv4() == kPeer);
  BOOST_TEST(hostIke.received[2].from.GetPort() == 4500);
  BOOST_TEST(w.Counters().outboundTranslated == 3u);
  BOOST_TEST(w.Counters().inboundTranslated == 3u);
  BOOST_TEST(w.nat.box->MappingsCreated() == 1u);
  BOOST_TEST(w.Counters().arpAnswered >= 1u);
}

BOOST_AUTO_TEST_CASE(keeps_the_inside_port_when_free) {
  NatWorld w;
  UdpEndpoint hostIke(w.host, 500);
  UdpEndpoint peerIke(w.Peer(), 500, true);
  SendUdpAt(1.0, hostIke.socket, kPeer, 500);
  ns3::Simulator::Stop(ns3::Seconds(2));
  ns3::Simulator::Run();
  BOOST_REQUIRE(peerIke.received.size() == 1u);
  BOOST_TEST(peerIke.received[0].from.GetIpv4() == kPublic);
  BOOST_TEST(peerIke.received[0].from.GetPort() == 500);
  BOOST_TEST(hostIke.received.size() == 1u);
}

namespace {

struct KeepaliveRun {
  std::vector<ns3::Time> keepalivesOutside;  // 1-byte 0xFF leaving the NAT
  std::vector<ns3::Time> expiries;
  std::vector<ns3::Time> peerSends;
  std::vector<ns3::Time> hostDeliveries;
  NaptCounters counters;
  uint64_t created = 0;
  size_t peerFramesOnHostLink = 0;
};

// The host sends `count` NAT-T keepalives to the peer's UDP 4500, one every
// `interval` from t = 1 s; the peer answers on the mapping it learnt from the
// first one every 7 s until t = 300 s.
KeepaliveRun RunKeepalives(ns3::Time udpTimeout, double interval, int count) {
  auto box = ns3::CreateObject<NaptBox>();
  box->SetAttribute("UdpIdleTimeout", ns3::TimeValue(udpTimeout));
  NatWorld w(box);
  KeepaliveRun run;
  w.nat.box->TraceConnectWithoutContext(
      "MappingExpired", ns3::Callback<void, uint16_t>(
                            [&run](uint16_t) { run.expiries.push_back(ns3::Simulator::Now()); }));
  UdpEndpoint hostNatt(w.host, 4500);
  UdpEndpoint peerNatt(w.Peer(), 4500);
  for (int i = 0; i < count; ++i)
    SendUdpAt(1.0 + interval * i, hostNatt.socket, kPeer, 4500, 1, 0xff);
  for (double t = 2.0; t < 300.0; t += 7.0) {
    ns3::Simulator::Schedule(ns3::Seconds(t), [&]() {
      BOOST_REQUIRE(!peerNatt.received.empty());
      run.peerSends.push_back(ns3::Simulator::Now());
      std::vector<uint8_t> data(200, 0x5a);
      peerNatt.socket->SendTo(ns3::Create<ns3::Packet>(data.data(), 200), 0,
                              peerNatt.received.front().from);
    });
  }
  ns3::Simulator::Stop(ns3::Seconds(301));
  ns3::Simulator::Run();

  for (const SeenFrame& f : w.natSentOutside->frames) {
    if (f.IsUdpTo(4500) && f.l4.size() == 9 && f.l4[8] == 0xff)
      run.keepalivesOutside.push_back(f.time);
  }
  for (const auto& d : hostNatt.received) run.hostDeliveries.push_back(d.time);
  run.counters = w.Counters();
  run.created = w.nat.box->MappingsCreated();
  run.peerFramesOnHostLink =
      w.hostReceived->Count([](const SeenFrame& f) { return f.source == kPeer; });
  return run;
}

}  // namespace

BOOST_AUTO_TEST_CASE(keepalives_hold_the_mapping_for_minutes_and_its_expiry_drops_inbound) {
  // Keepalives every 20 s (Libreswan's default) until t = 181 s.
  const KeepaliveRun run = RunKeepalives(ns3::Seconds(30), 20.0, 10);

  BOOST_REQUIRE(run.keepalivesOutside.size() == 10u);
  // The first keepalive waited for ARP (ns-3 jitters requests by up to 10 ms).
  for (size_t i = 1; i < run.keepalivesOutside.size(); ++i) {
    const ns3::Time gap = run.keepalivesOutside[i] - run.keepalivesOutside[i - 1];
    BOOST_TEST(std::abs((gap - ns3::Seconds(20)).GetMicroSeconds()) < (i == 1 ? 10000 : 1000),
               "gap " << gap.As(ns3::Time::S));
  }
  // One mapping for the whole time the keepalives ran; it expired exactly one
  // idle timeout after the last keepalive crossed the NAT.
  BOOST_TEST(run.created == 1u);
  BOOST_REQUIRE(run.expiries.size() == 1u);
  const ns3::Time expiry = run.keepalivesOutside.back() + ns3::Seconds(30);
  BOOST_TEST(run.expiries[0] == expiry);

  size_t sentBefore = 0, sentAfter = 0;
  for (ns3::Time t : run.peerSends) (t < expiry ? sentBefore : sentAfter) += 1;
  BOOST_TEST(sentBefore == 30u);  // t = 2 ... 205 s: more than three minutes
  BOOST_TEST(sentAfter == 13u);
  BOOST_TEST(run.hostDeliveries.size() == sentBefore);
  BOOST_TEST(run.hostDeliveries.back() < expiry);
  BOOST_TEST(run.peerFramesOnHostLink == sentBefore);
  BOOST_TEST(run.counters.inboundTranslated == sentBefore);
  BOOST_TEST(run.counters.inboundExpiredMapping == sentAfter);
}

BOOST_AUTO_TEST_CASE(
    a_timeout_shorter_than_the_keepalive_interval_loses_the_mapping_between_keepalives) {
  // 40 s between keepalives, 30 s timeout: each keepalive finds no mapping.
  const KeepaliveRun run = RunKeepalives(ns3::Seconds(30), 40.0, 5);
  BOOST_TEST(run.keepalivesOutside.size() == 5u);
  BOOST_TEST(run.created == 5u);
  BOOST_TEST(run.expiries.size() == 5u);
  BOOST_TEST(run.counters.inboundExpiredMapping > 0u);
  BOOST_TEST(run.hostDeliveries.size() + run.counters.inboundExpiredMapping ==
             run.peerSends.size());
}

BOOST_AUTO_TEST_CASE(esp_is_dropped_both_ways_and_esp_in_udp_passes) {
  NatWorld w;
  UdpEndpoint hostNatt(w.host, 4500);
  UdpEndpoint peerNatt(w.Peer(), 4500, true);
  for (uint32_t i = 0; i < 4; ++i)
    SendRawAt(1.0 + 0.1 * i, w.host, kPeer, 50, FakeEsp(0xc0ffee, i));
  for (uint32_t i = 0; i < 2; ++i)
    SendRawAt(2.0 + 0.1 * i, w.Peer(), kPublic, 50, FakeEsp(0xbeef, i));
  SendUdpAt(3.0, hostNatt.socket, kPeer, 4500, 96, 0x11);  // ESP in UDP: a non-zero SPI first
  ns3::Simulator::Stop(ns3::Seconds(4));
  ns3::Simulator::Run();

  auto esp = [](const SeenFrame& f) { return f.IsEsp(); };
  BOOST_TEST(w.hostSent->Count(esp) == 4u);        // on the inside wire...
  BOOST_TEST(w.natSentOutside->Count(esp) == 0u);  // ...never outside
  BOOST_TEST(w.peerReceived->Count(esp) == 0u);
  BOOST_TEST(w.peerSent->Count(esp) == 2u);      // the peer's ESP to the public address...
  BOOST_TEST(w.hostReceived->Count(esp) == 0u);  // ...never inside
  BOOST_TEST(w.Counters().espDropped == 6u);
  BOOST_TEST(peerNatt.received.size() == 1u);
  BOOST_TEST(hostNatt.received.size() == 1u);
  const auto report = w.nat.box->Report();
  BOOST_TEST(
      (std::find(report.begin(), report.end(), "nat 10.0.0.200: ESP dropped 6") != report.end()));
}

BOOST_AUTO_TEST_CASE(unsolicited_inbound_is_dropped_and_counted) {
  NatWorld w;
  UdpEndpoint hostNatt(w.host, 4500);
  UdpEndpoint peerNatt(w.Peer(), 4500);
  auto other = UdpSocket(w.Other(), 4500);
  auto direct = UdpSocket(w.Peer(), 4600);
  SendUdpAt(1.0, peerNatt.socket, kPublic, 4500);  // before any mapping
  SendUdpAt(2.0, hostNatt.socket, kPeer, 4500);    // mapping host:4500 <-> peer:4500
  SendUdpAt(3.0, other, kPublic, 4500);            // another remote on that public port
  SendUdpAt(4.0, direct, kHost, 4500);             // around the NAT to the private address
  SendUdpAt(5.0, peerNatt.socket, kPublic, 4500);  // the mapped remote: delivered
  ns3::Simulator::Stop(ns3::Seconds(6));
  ns3::Simulator::Run();

  BOOST_TEST(w.Counters().inboundNoMapping == 1u);
  BOOST_TEST(w.Counters().inboundWrongRemote == 1u);
  BOOST_TEST(w.Counters().inboundNotForPublicAddress == 1u);
  BOOST_TEST(w.Counters().inboundTranslated == 1u);
  BOOST_REQUIRE(hostNatt.received.size() == 1u);
  BOOST_TEST(hostNatt.received[0].from.GetIpv4() == kPeer);
  BOOST_TEST(w.hostReceived->Count([](const SeenFrame& f) { return f.etherType == 0x0800; }) == 1u);
}

BOOST_AUTO_TEST_CASE(garbage_from_inside_is_counted_and_dropped) {
  NatWorld w;
  UdpEndpoint hostNatt(w.host, 4500);
  UdpEndpoint peerNatt(w.Peer(), 4500);
  const ns3::Address peerMac = w.peerNics.Get(0)->GetAddress();
  const std::vector<std::vector<uint8_t>> garbage = {
      std::vector<uint8_t>(7, 0x45),
      {0x45, 0, 0, 24, 0,  0, 0, 0,  64,   17,   0,    0,
       10,   0, 0, 11, 10, 0, 0, 12, 0x11, 0x94, 0x11, 0x94},
      {0x4f, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 11, 10, 0, 0, 12},
  };
  for (size_t i = 0; i < garbage.size(); ++i) {
    ns3::Simulator::Schedule(ns3::Seconds(1.0 + 0.1 * i), [&, i]() {
      w.nat.hostNic->Send(ns3::Create<ns3::Packet>(garbage[i].data(), uint32_t(garbage[i].size())),
                          peerMac, 0x0800);
    });
  }
  SendUdpAt(2.0, hostNatt.socket, kPeer, 4500);
  ns3::Simulator::Stop(ns3::Seconds(3));
  ns3::Simulator::Run();

  BOOST_TEST(w.Counters().malformedDropped == garbage.size());
  BOOST_TEST(w.natSentOutside->Ipv4Count() == 1u);
  BOOST_TEST(peerNatt.received.size() == 1u);
}

BOOST_AUTO_TEST_CASE(checksum_adjustment_matches_a_full_recomputation) {
  auto fold = [](uint32_t s) {
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return uint16_t(~s);
  };
  const uint16_t before = fold(0x1234 + 0xabcd + 0x5555);
  const uint16_t after = fold(0x1234 + 0xabcd + 0x3285);
  BOOST_TEST(AdjustChecksum(before, 0x5555, 0x3285) == after);
}

BOOST_AUTO_TEST_SUITE_END()
