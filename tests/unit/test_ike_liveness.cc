// INFORMATIONAL on the simulated wire: liveness checks that give up on a
// peer whose link went down (its SAs removed, the trap re-armed, the next
// packet negotiating again), and Delete of the IKE SA by `ipsec auto
// --delete` on either end.
#include <boost/test/unit_test.hpp>

#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

// Drops every frame either node receives while `down` is set.
struct LinkSwitch {
  ns3::Ptr<ns3::RateErrorModel> models[2];
  explicit LinkSwitch(IkeWorld& w) {
    for (int i = 0; i < 2; ++i) {
      models[i] = ns3::CreateObject<ns3::RateErrorModel>();
      models[i]->SetUnit(ns3::RateErrorModel::ERROR_UNIT_PACKET);
      models[i]->SetRate(1.0);
      models[i]->Disable();
      w.devices.Get(i)->SetAttribute("ReceiveErrorModel", ns3::PointerValue(models[i]));
    }
  }
  void Set(bool down) {
    for (auto& m : models) down ? m->Enable() : m->Disable();
  }
};

bool IsInformationalRequestFrom(const WireFrame& f, uint32_t sender) {
  return f.sender == sender && f.IkeExchange() == uint8_t(ExchangeType::kInformational) &&
         !f.IsIkeResponse();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_liveness)

BOOST_AUTO_TEST_CASE(dead_peer_is_detected_and_the_trap_renegotiates) {
  IkeWorld w;
  w.ConfigureDefault();
  for (auto& d : w.daemons) {
    d->SetAttribute("DpdDelay", ns3::TimeValue(ns3::Seconds(1)));
    d->SetAttribute("RetransmitTries", ns3::UintegerValue(3));
  }
  w.Load();
  LinkSwitch link(w);
  auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
  auto& atA = w.UdpSend(0, kReplyPort, kServicePort, 10, ns3::Seconds(1), ns3::MilliSeconds(100));
  ns3::Simulator::Schedule(ns3::Seconds(3), [&link]() { link.Set(true); });
  ns3::Simulator::Schedule(ns3::Seconds(9), [&link]() { link.Set(false); });
  uint32_t firstSpi = 0;
  size_t statesWhileDown[2] = {99, 99};
  ConnectionState stateWhileDown = ConnectionState::kUp;
  ns3::Simulator::Schedule(ns3::Seconds(1.5),
                           [&]() { firstSpi = w.daemons[0]->Status("a-to-b").spiOut; });
  ns3::Simulator::Schedule(ns3::Seconds(8.9), [&]() {
    statesWhileDown[0] = w.stacks[0]->States().Size();
    statesWhileDown[1] = w.stacks[1]->States().Size();
    stateWhileDown = w.daemons[0]->Status("a-to-b").state;
  });
  // Traffic again after the link is back: the trap starts a new negotiation.
  auto socket = ns3::Socket::CreateSocket(w.nodes.Get(0), ns3::UdpSocketFactory::GetTypeId());
  socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), kReplyPort + 1));
  for (int i = 0; i < 5; ++i)
    ns3::Simulator::Schedule(ns3::Seconds(10) + ns3::MilliSeconds(100) * i, [&w, socket]() {
      socket->SendTo(ns3::Create<ns3::Packet>(200), 0,
                     ns3::InetSocketAddress(w.address[1], kServicePort));
    });
  w.Run(ns3::Seconds(11));
  BOOST_TEST_MESSAGE(DumpLogs(w));

  // Liveness: an empty INFORMATIONAL, sent 3 times (identical bytes), unanswered.
  const auto checks = w.Frames([](const WireFrame& f) {
    return IsInformationalRequestFrom(f, 0) && f.time > ns3::Seconds(3);
  });
  BOOST_REQUIRE_GE(checks.size(), 3u);
  BOOST_TEST(checks[0].l4 == checks[1].l4);
  BOOST_TEST(checks[1].l4 == checks[2].l4);
  BOOST_TEST(checks[2].time - checks[0].time == ns3::Seconds(1.5));  // 0.5 s, then 1 s
  BOOST_TEST(w.daemons[0]->Counters().deadPeers == 1u);
  BOOST_TEST(w.daemons[1]->Counters().deadPeers == 1u);
  // While the link was down both SADs were emptied and a went down.
  BOOST_TEST(statesWhileDown[0] == 0u);
  BOOST_TEST(statesWhileDown[1] == 0u);
  BOOST_TEST(stateWhileDown == ConnectionState::kDown);
  // The next packet negotiated again: a second IKE_SA_INIT from a, new SPIs,
  // all datagrams delivered as ESP.
  const auto inits = w.Frames([](const WireFrame& f) {
    return f.sender == 0 && f.IkeExchange() == uint8_t(ExchangeType::kIkeSaInit);
  });
  BOOST_REQUIRE_EQUAL(inits.size(), 2u);
  BOOST_TEST(inits[1].time >= ns3::Seconds(10));
  BOOST_TEST(w.daemons[0]->Counters().acquires == 2u);
  BOOST_TEST(atB.packets == 15u);
  BOOST_TEST(atA.packets == 10u);
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.protocol == 17 && f.DstPort() == kServicePort;
  }) == 0u);
  const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
  BOOST_TEST(a.state == ConnectionState::kUp);
  BOOST_TEST(a.spiOut != firstSpi);
  const auto lastEsp =
      w.Frames([](const WireFrame& f) { return f.protocol == 50 && f.sender == 0; });
  BOOST_TEST(lastEsp.back().EspSpi() == a.spiOut);
}

BOOST_AUTO_TEST_CASE(liveness_is_quiet_while_esp_arrives) {
  IkeWorld w;
  w.ConfigureDefault();
  for (auto& d : w.daemons) d->SetAttribute("DpdDelay", ns3::TimeValue(ns3::Seconds(1)));
  w.Load();
  w.UdpSink(1, kServicePort, /*echo=*/true);
  w.UdpSend(0, kReplyPort, kServicePort, 40, ns3::Seconds(1), ns3::MilliSeconds(100));
  w.Run(ns3::Seconds(7));
  // Traffic until 5 s: no check before; after it, a check answered each second.
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return IsInformationalRequestFrom(f, 0) && f.time < ns3::Seconds(5);
  }) == 0u);
  const auto after = w.Frames([](const WireFrame& f) { return IsInformationalRequestFrom(f, 0); });
  BOOST_TEST(after.size() >= 1u);
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.sender == 1 && f.IsIkeResponse() &&
           f.IkeExchange() == uint8_t(ExchangeType::kInformational);
  }) >= after.size());
  BOOST_TEST(w.daemons[0]->Counters().deadPeers == 0u);
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp);
}

BOOST_AUTO_TEST_CASE(delete_connection_on_the_responder_tears_both_ends_down) {
  IkeWorld w;
  w.ConfigureDefault();
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
  w.UdpSend(0, kReplyPort, kServicePort, 3, ns3::Seconds(1));
  size_t statesAfterDelete[2] = {99, 99};
  ConnectionState aAfterDelete = ConnectionState::kUp;
  ns3::Simulator::Schedule(ns3::Seconds(2), [&w]() {
    BOOST_TEST(w.daemons[1]->DeleteConnection("b-from-a"));
    BOOST_TEST(!w.daemons[1]->DeleteConnection("b-from-a"));
  });
  ns3::Simulator::Schedule(ns3::Seconds(2.5), [&]() {
    statesAfterDelete[0] = w.stacks[0]->States().Size();
    statesAfterDelete[1] = w.stacks[1]->States().Size();
    aAfterDelete = w.daemons[0]->Status("a-to-b").state;
    w.daemons[1]->AddConnection(w.bConnection);  // ipsec auto --add again
  });
  auto socket = ns3::Socket::CreateSocket(w.nodes.Get(0), ns3::UdpSocketFactory::GetTypeId());
  socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), kReplyPort + 1));
  ns3::Simulator::Schedule(ns3::Seconds(3), [&w, socket]() {
    socket->SendTo(ns3::Create<ns3::Packet>(200), 0,
                   ns3::InetSocketAddress(w.address[1], kServicePort));
  });
  w.Run(ns3::Seconds(4));
  BOOST_TEST_MESSAGE(DumpLogs(w));

  // b sent one INFORMATIONAL request (Delete of the IKE SA), a answered.
  const auto deletes =
      w.Frames([](const WireFrame& f) { return IsInformationalRequestFrom(f, 1); });
  BOOST_REQUIRE_EQUAL(deletes.size(), 1u);
  BOOST_TEST(deletes[0].time >= ns3::Seconds(2));
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.sender == 0 && f.IsIkeResponse() &&
           f.IkeExchange() == uint8_t(ExchangeType::kInformational);
  }) == 1u);
  BOOST_TEST(statesAfterDelete[0] == 0u);
  BOOST_TEST(statesAfterDelete[1] == 0u);
  BOOST_TEST(aAfterDelete == ConnectionState::kDown);
  // a's trap policy stayed: the packet at 3 s negotiated a new IKE SA.
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.sender == 0 && f.IkeExchange() == uint8_t(ExchangeType::kIkeSaInit);
  }) == 2u);
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp);
  BOOST_TEST(atB.packets == 4u);
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.protocol == 17 && f.DstPort() == kServicePort;
  }) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
