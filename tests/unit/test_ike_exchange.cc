// IKEv2 on the simulated wire, happy path: a trapped UDP packet makes node a
// negotiate IKE_SA_INIT and IKE_AUTH with node b on UDP 500; the Child SA
// lands in both XfrmStacks and the held and later packets cross as ESP.
#include <boost/test/unit_test.hpp>

#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

BOOST_AUTO_TEST_SUITE(ike_exchange)

BOOST_AUTO_TEST_CASE(acquire_negotiates_and_the_flow_crosses_as_esp) {
  IkeWorld w;
  w.ConfigureDefault();
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
  constexpr uint32_t kPackets = 5;
  auto& atA = w.UdpSend(0, kReplyPort, kServicePort, kPackets, ns3::Seconds(1));
  const double wall = w.Run(ns3::Seconds(5));
  BOOST_TEST_MESSAGE(DumpLogs(w));

  // Four IKE messages, in order, alternating a -> b, b -> a.
  const auto ike = w.Frames([](const WireFrame& f) { return f.IsIke(); });
  BOOST_REQUIRE_EQUAL(ike.size(), 4u);
  const uint8_t expected[4] = {34, 34, 35, 35};
  for (size_t i = 0; i < 4; ++i) {
    BOOST_TEST(ike[i].IkeExchange() == expected[i]);
    BOOST_TEST(ike[i].sender == i % 2);
    BOOST_TEST(ike[i].IsIkeResponse() == (i % 2 == 1));
  }
  // Every datagram of the flow was ESP on the wire, none in clear.
  const auto espAB = w.Frames([](const WireFrame& f) { return f.protocol == 50 && f.sender == 0; });
  const auto espBA = w.Frames([](const WireFrame& f) { return f.protocol == 50 && f.sender == 1; });
  BOOST_REQUIRE_EQUAL(espAB.size(), kPackets);
  BOOST_REQUIRE_EQUAL(espBA.size(), kPackets);  // the echoes
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.protocol == 17 && (f.DstPort() == kServicePort || f.DstPort() == kReplyPort);
  }) == 0u);
  BOOST_TEST(atB.packets == kPackets);  // the held first datagram too
  BOOST_TEST(atA.packets == kPackets);
  // The first ESP frame follows the last IKE message.
  BOOST_TEST(espAB.front().time > ike.back().time);

  // Status on both ends agrees with the SPIs seen on the wire.
  const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
  const ConnectionStatus b = w.daemons[1]->Status("b-from-a");
  BOOST_TEST(a.state == ConnectionState::kUp);
  BOOST_TEST(b.state == ConnectionState::kUp);
  BOOST_TEST(espAB.front().EspSpi() == a.spiOut);
  BOOST_TEST(espAB.front().EspSpi() == b.spiIn);
  BOOST_TEST(espBA.front().EspSpi() == b.spiOut);
  BOOST_TEST(espBA.front().EspSpi() == a.spiIn);
  BOOST_TEST(a.peerId == "@system-b");
  BOOST_TEST(b.peerId == "@system-a");
  BOOST_TEST(a.bytesOut > 0u);
  BOOST_TEST(a.bytesOut == b.bytesIn);
  BOOST_TEST(b.bytesOut == a.bytesIn);
  BOOST_TEST(a.ikeSpiI == b.ikeSpiI);
  BOOST_TEST(a.ikeSpiR == b.ikeSpiR);
  BOOST_TEST(w.daemons[0]->Counters().acquires == 1u);
  BOOST_TEST(w.daemons[0]->Counters().retransmitted == 0u);
  BOOST_TEST(w.stacks[0]->Stats().heldReleased == 1u);
  BOOST_TEST(w.daemons[0]->FormatTrafficStatus().find("\"a-to-b\": up, type=ESP") !=
             std::string::npos);
  BOOST_TEST_MESSAGE(w.daemons[0]->FormatTrafficStatus() << w.daemons[1]->FormatTrafficStatus());

  const ns3::Time negotiation = espAB.front().time - ns3::Seconds(1);
  BOOST_TEST(negotiation < ns3::MilliSeconds(50));
  BOOST_TEST_MESSAGE("one exchange: " << negotiation.As(ns3::Time::MS)
                                      << " simulated from the trapped packet to the first ESP "
                                         "frame; whole run "
                                      << wall * 1000 << " ms wall");
  BOOST_TEST(w.keys.ike.Records().size() == 1u);
  BOOST_TEST(w.keys.esp.Records().size() == 2u);
}

BOOST_AUTO_TEST_CASE(auto_start_brings_the_connection_up_without_traffic) {
  IkeWorld w;
  w.ConfigureDefault();
  w.aConnection.autoMode = AutoMode::kStart;
  w.Load();
  w.Run(ns3::Seconds(1));
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.IsIke(); }) == 4u);
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp);
  BOOST_TEST(w.daemons[1]->Status("b-from-a").state == ConnectionState::kUp);
  BOOST_TEST(w.daemons[0]->Counters().acquires == 0u);
}

BOOST_AUTO_TEST_CASE(processing_costs_set_the_negotiation_time) {
  // Two round trips of 2 ms (1 ms link delay each way) plus the daemons' CPU:
  // a: DH (request) + DH+RSA (INIT response) + RSA (AUTH response); b: DH + RSA.
  IkeWorld w;
  for (auto& d : w.daemons) {
    d->SetAttribute("DhCost", ns3::TimeValue(ns3::MilliSeconds(10)));
    d->SetAttribute("RsaCost", ns3::TimeValue(ns3::MilliSeconds(20)));
  }
  w.ConfigureDefault();
  w.aConnection.autoMode = AutoMode::kStart;
  ns3::Time upAt;
  w.daemons[0]->TraceConnectWithoutContext(
      "ConnectionUp", ns3::MakeCallback(+[](ns3::Time* t, const ConnectionStatus&) {
                        *t = ns3::Simulator::Now();
                      }).Bind(&upAt));
  w.Load();
  w.Run(ns3::Seconds(1));
  const ns3::Time cpu = ns3::MilliSeconds(10 + 30 + 20 + 10 + 20);
  BOOST_TEST(upAt > cpu + ns3::MilliSeconds(4));
  BOOST_TEST(upAt < cpu + ns3::MilliSeconds(6));  // + serialization of the frames
}

BOOST_AUTO_TEST_CASE(malformed_datagrams_on_port_500_are_counted_and_dropped) {
  IkeWorld w;
  w.ConfigureDefault();
  w.aConnection.autoMode = AutoMode::kStart;
  w.Load();
  auto socket = ns3::Socket::CreateSocket(w.nodes.Get(0), ns3::UdpSocketFactory::GetTypeId());
  socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), 40000));
  const ns3::InetSocketAddress to(w.address[1], 500);
  ns3::Simulator::Schedule(ns3::MilliSeconds(500), [socket, to]() {
    const uint8_t junk[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    socket->SendTo(ns3::Create<ns3::Packet>(junk, sizeof junk), 0, to);
    std::vector<uint8_t> header(28, 0);  // a header with a bad version and length
    header[17] = 0x10;
    socket->SendTo(ns3::Create<ns3::Packet>(header.data(), header.size()), 0, to);
  });
  w.Run(ns3::Seconds(1));
  BOOST_TEST(w.daemons[1]->Counters().malformed == 2u);
  BOOST_TEST(w.daemons[1]->Status("b-from-a").state == ConnectionState::kUp);
}

BOOST_AUTO_TEST_SUITE_END()
