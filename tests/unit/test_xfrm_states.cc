// SAD and SPD behaviour: replay and tamper drops, key checks, shadowed
// policies, trap/acquire, SA replacement, lifetimes.
#include <boost/test/unit_test.hpp>

#include "test_xfrm_support.h"
#include "xfrm_stat_format.h"

using namespace xfrm_test;
using ipsecsim::XfrmStat;
using ns3::MilliSeconds;
using ns3::Seconds;

BOOST_AUTO_TEST_SUITE(xfrm_states)

BOOST_AUTO_TEST_CASE(replayed_and_tampered_packets_are_dropped_and_counted) {
  TwoHosts w;
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  w.AddSaPair();
  auto& sink = w.UdpSink(1, 5001);
  w.UdpSend(0, 5001, 200, 5, Seconds(1));
  // Copy the first ESP packet off the wire, then put it back twice: once
  // unchanged (a replay) and once with a flipped ciphertext bit.
  std::vector<uint8_t> captured;
  ns3::Simulator::Schedule(Seconds(1.5), [&]() {
    for (const auto& f : w.wire) {
      if (f.protocol == 50) {
        captured = f.l4;
        break;
      }
    }
    BOOST_REQUIRE(!captured.empty());
    w.InjectIpv4(0, 50, captured, Seconds(0.1));
    auto tampered = captured;
    tampered[20] ^= 0x01;
    tampered[4] = 0x7f;  // fresh sequence number: only the ICV can catch it
    w.InjectIpv4(0, 50, tampered, Seconds(0.2));
    auto unknownSpi = captured;
    unknownSpi[3] ^= 0x40;
    w.InjectIpv4(0, 50, unknownSpi, Seconds(0.3));
    w.InjectIpv4(0, 50, {1, 2, 3}, Seconds(0.4));  // garbage
  });
  ns3::Simulator::Stop(Seconds(3));
  ns3::Simulator::Run();

  BOOST_TEST(w.Frames([](const WireFrame& f) { return f.protocol == 50; }).size() == 9u);
  BOOST_TEST(sink.packets == 5u);
  const auto& c = w.xfrm[1]->Counters();
  BOOST_TEST(c.Get(XfrmStat::kInStateSeqError) == 1u);
  BOOST_TEST(c.Get(XfrmStat::kInStateProtoError) == 1u);
  BOOST_TEST(c.Get(XfrmStat::kInNoStates) == 1u);
  BOOST_TEST(c.Get(XfrmStat::kInHdrError) == 1u);
  const std::string text = w.xfrm[1]->FormatXfrmStat();
  BOOST_TEST(text.find("XfrmInStateSeqError     \t1\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_key_length_is_rejected_with_a_clear_message) {
  TwoHosts w;
  StateConfig s = w.State(0, 0x1001);
  s.keymat.resize(32);  // an AES-256 key without its salt
  std::string error;
  BOOST_TEST(!w.xfrm[0]->AddState(s, &error));
  BOOST_TEST(error.find("0x00001001") != std::string::npos);
  BOOST_TEST(error.find("20, 28 or 36 bytes; got 32") != std::string::npos, error);
  BOOST_TEST(w.xfrm[0]->States().Size() == 0u);
  s.keymat.resize(36);
  BOOST_TEST(w.xfrm[0]->AddState(s, &error));
  BOOST_TEST(!w.xfrm[0]->AddState(s, &error));  // duplicate (SPI, dst)
  BOOST_TEST(error.find("already exists") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(shadowed_policies_are_reported) {
  auto udpTo = [](uint16_t port, PolicyAction action, uint32_t priority) {
    Policy p;
    p.selector = {*IpPrefix::Parse("10.0.0.0/24"), *IpPrefix::Parse("10.0.1.5"), 17,
                  PortRange::Any(), PortRange::Single(port)};
    p.action = action;
    p.priority = priority;
    return p;
  };
  Policy wide;  // all UDP 10.0.0.0/16 -> 10.0.1.0/24, bypass
  wide.selector = {*IpPrefix::Parse("10.0.0.0/16"), *IpPrefix::Parse("10.0.1.0/24"), 17,
                   PortRange::Any(), PortRange::Any()};
  wide.action = PolicyAction::kBypass;
  wide.priority = 10;
  const std::vector<Policy> policies = {
      udpTo(6081, PolicyAction::kProtect, 20),  // #0 shadowed by #3 (same selector, first)
      wide,                                     // #1
      udpTo(7000, PolicyAction::kBypass, 30),   // #2 shadowed by #1, same action
      udpTo(6081, PolicyAction::kProtect, 5),   // #3 wins over #1 for 6081: partial overlap
      udpTo(7000, PolicyAction::kDiscard, 40),  // #4 shadowed by #1, contradicts it
  };
  const auto conflicts = FindPolicyConflicts(policies);
  auto find = [&](size_t winner, size_t loser) -> const PolicyConflict* {
    for (const auto& c : conflicts) {
      if (c.winner == winner && c.loser == loser) return &c;
    }
    return nullptr;
  };
  using Kind = PolicyConflict::Kind;
  BOOST_REQUIRE(find(3, 0) && find(1, 2) && find(3, 1) && find(1, 4));
  BOOST_TEST((find(3, 0)->kind == Kind::kShadowedSameAction));
  BOOST_TEST((find(1, 2)->kind == Kind::kShadowedSameAction));
  BOOST_TEST((find(3, 1)->kind == Kind::kPartialContradicts));
  BOOST_TEST((find(1, 4)->kind == Kind::kShadowedContradicts));
  BOOST_TEST(!find(1, 0));  // #0 is already fully shadowed by #3
  BOOST_TEST(conflicts.size() == 4u);
  const std::string text = find(1, 4)->Describe(policies);
  BOOST_TEST(text.find("policy #4") != std::string::npos, text);
  BOOST_TEST(text.find("contradictory") != std::string::npos, text);
  BOOST_TEST(FindPolicyConflicts({udpTo(1, PolicyAction::kBypass, 0)}).empty());
}

BOOST_AUTO_TEST_CASE(spd_priority_and_order) {
  Spd spd;
  Policy any;
  any.action = PolicyAction::kBypass;
  any.priority = 100;
  Policy geneve;
  geneve.selector.protocol = 17;
  geneve.selector.dstPorts = PortRange::Single(6081);
  geneve.priority = 100;
  const PolicyId first = spd.Add(any);
  spd.Add(geneve);
  FlowTuple flow{ns3::Ipv4Address("10.0.0.1"), ns3::Ipv4Address("10.0.0.2"), 17, 1234, 6081};
  BOOST_TEST(spd.Lookup(Direction::kOut, flow)->id == first);  // equal priority: first added
  geneve.priority = 99;
  const PolicyId better = spd.Add(geneve);
  BOOST_TEST(spd.Lookup(Direction::kOut, flow)->id == better);
  BOOST_TEST(spd.Lookup(Direction::kIn, flow) == nullptr);
  BOOST_TEST(!IpPrefix::Parse("10.0.0/8"));
  BOOST_TEST(!IpPrefix::Parse("10.0.0.1/33"));
}

// Host-to-host policies are found by their addresses, the others by a walk;
// the winner is the same as one walk over all policies in (priority,
// insertion) order would find.
BOOST_AUTO_TEST_CASE(spd_hashed_and_inexact_policies_keep_one_order) {
  const ns3::Ipv4Address a("10.0.0.1"), b("10.0.0.2"), c("10.0.0.3");
  Spd spd;
  Policy host;
  host.selector.src = IpPrefix::Host(a);
  host.selector.dst = IpPrefix::Host(b);
  host.priority = 50;
  Policy subnet;
  subnet.selector.dst = *IpPrefix::Parse("10.0.0.0/24");
  subnet.action = PolicyAction::kBypass;
  subnet.priority = 60;
  const PolicyId hostId = spd.Add(host);
  const PolicyId subnetId = spd.Add(subnet);
  const FlowTuple ab{a, b, 17, 1, 2};
  const FlowTuple ac{a, c, 17, 1, 2};
  BOOST_TEST(spd.Lookup(Direction::kOut, ab)->id == hostId);    // 50 before 60
  BOOST_TEST(spd.Lookup(Direction::kOut, ac)->id == subnetId);  // no host policy for a -> c
  subnet.priority = 40;
  const PolicyId earlier = spd.Add(subnet);
  BOOST_TEST(spd.Lookup(Direction::kOut, ab)->id == earlier);  // 40 before 50
  BOOST_TEST(spd.Remove(earlier));
  host.priority = 60;  // equal to the subnet's: the first added wins
  const PolicyId laterHost = spd.Add(host);
  BOOST_TEST(spd.Remove(hostId));
  BOOST_TEST(spd.Lookup(Direction::kOut, ab)->id == subnetId);
  BOOST_TEST(spd.Remove(subnetId));
  BOOST_TEST(spd.Lookup(Direction::kOut, ab)->id == laterHost);
  BOOST_TEST(spd.Lookup(Direction::kOut, ac) == nullptr);
  BOOST_TEST(spd.Find(laterHost)->policy.priority == 60u);
  BOOST_TEST(spd.Entries().size() == 1u);
  BOOST_TEST(!spd.Remove(hostId));
}

// The outbound look-up reads the states between two hosts; the newest usable
// one wins, and removing states keeps the indexes true.
BOOST_AUTO_TEST_CASE(sad_outbound_by_pair_and_spis_in_use) {
  const ns3::Ipv4Address a("10.0.0.1"), b("10.0.0.2"), c("10.0.0.3");
  Sad sad;
  auto config = [](ns3::Ipv4Address src, ns3::Ipv4Address dst, uint32_t spi) {
    StateConfig s;
    s.src = src;
    s.dst = dst;
    s.spi = spi;
    s.keymat = ipsecsim::Bytes(36, uint8_t(spi));
    return s;
  };
  std::string error;
  BOOST_TEST_REQUIRE(sad.Add(config(a, b, 0x1000), ns3::Seconds(0), &error) != nullptr);
  BOOST_TEST_REQUIRE(sad.Add(config(a, c, 0x1000), ns3::Seconds(0), &error) !=
                     nullptr);  // same SPI
  BOOST_TEST_REQUIRE(sad.Add(config(a, b, 0x2000), ns3::Seconds(0), &error) != nullptr);
  SaTemplate tmpl;
  BOOST_TEST(sad.FindOutbound(a, b, tmpl)->config.spi == 0x2000u);  // the newer
  BOOST_TEST(sad.FindOutbound(a, c, tmpl)->config.spi == 0x1000u);
  BOOST_TEST(sad.FindOutbound(b, a, tmpl) == nullptr);
  BOOST_TEST(sad.UsesSpi(0x1000));
  BOOST_TEST(!sad.UsesSpi(0x3000));
  BOOST_TEST(bool(sad.Remove(SadKey{0x2000, b, kProtoEsp})));
  BOOST_TEST(sad.FindOutbound(a, b, tmpl)->config.spi == 0x1000u);
  BOOST_TEST(bool(sad.Remove(SadKey{0x1000, b, kProtoEsp})));
  BOOST_TEST(sad.UsesSpi(0x1000));  // a -> c still has it
  BOOST_TEST(sad.FindOutbound(a, b, tmpl) == nullptr);
  sad.Flush();
  BOOST_TEST(!sad.UsesSpi(0x1000));
  BOOST_TEST(sad.FindOutbound(a, c, tmpl) == nullptr);
}

BOOST_AUTO_TEST_CASE(trap_holds_packets_then_releases_them_when_the_sa_is_added) {
  TwoHosts w(/*holdUntilSa=*/true);
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  std::vector<AcquireEvent> acquires;
  w.xfrm[0]->TraceConnectWithoutContext(
      "Acquire", ns3::MakeCallback(+[](std::vector<AcquireEvent>* v, const AcquireEvent& e) {
                   v->push_back(e);
                 }).Bind(&acquires));
  auto& sink = w.UdpSink(1, 5001);
  w.UdpSend(0, 5001, 100, 4, Seconds(1), MilliSeconds(10), 40000);
  ns3::Time released;
  ns3::Simulator::Schedule(Seconds(2), [&]() {
    BOOST_TEST(w.wire.empty());  // nothing left the host while it waited
    BOOST_TEST(w.xfrm[0]->Stats().outHeld == 4u);
    w.AddSaPair();
    released = ns3::Simulator::Now();
  });
  ns3::Simulator::Stop(Seconds(3));
  ns3::Simulator::Run();

  BOOST_REQUIRE(acquires.size() == 1u);
  BOOST_TEST(acquires[0].flow.dst == w.b);
  BOOST_TEST(acquires[0].flow.dstPort == 5001);
  BOOST_TEST(acquires[0].flow.srcPort == 40000);
  BOOST_TEST((acquires[0].policy.direction == Direction::kOut));
  BOOST_TEST(sink.packets == 4u);
  const auto esp = w.Frames([](const WireFrame& f) { return f.protocol == 50; });
  BOOST_TEST(esp.size() == 4u);
  for (const auto& f : esp) BOOST_TEST(f.time >= released);
  BOOST_TEST(w.xfrm[0]->Stats().heldReleased == 4u);
  BOOST_TEST(w.xfrm[0]->Counters().Get(XfrmStat::kOutNoStates) == 0u);
}

BOOST_AUTO_TEST_CASE(trap_in_drop_mode_counts_out_no_states) {
  TwoHosts w(/*holdUntilSa=*/false);
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  int acquires = 0;
  w.xfrm[0]->TraceConnectWithoutContext(
      "Acquire", ns3::MakeCallback(+[](int* n, const AcquireEvent&) { ++*n; }).Bind(&acquires));
  auto& sink = w.UdpSink(1, 5001);
  w.UdpSend(0, 5001, 100, 5, Seconds(1));
  ns3::Simulator::Stop(Seconds(2));
  ns3::Simulator::Run();
  BOOST_TEST(acquires == 1);  // one pending acquire per flow
  BOOST_TEST(w.xfrm[0]->Counters().Get(XfrmStat::kOutNoStates) == 5u);
  BOOST_TEST(w.wire.empty());
  BOOST_TEST(sink.packets == 0u);
}

BOOST_AUTO_TEST_CASE(sa_replacement_loses_nothing) {
  TwoHosts w;
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  w.AddSaPair(0x1001, 0x2001);
  auto& sink = w.UdpSink(1, 5001);
  const uint32_t count = 200;
  w.UdpSend(0, 5001, 500, count, Seconds(1), MilliSeconds(1));  // 1 ms gap, 1 ms link delay
  ns3::Time switched;
  // Rekey like an IKE daemon: both ends install the new SA, the sender
  // starts using it at once, the old one is deleted a little later while
  // packets protected with it are still on the wire.
  ns3::Simulator::Schedule(Seconds(1.05), [&]() {
    w.AddSa(w.State(0, 0x1002));
    switched = ns3::Simulator::Now();
    w.xfrm[0]->DeleteState(0x1001, w.b);
  });
  ns3::Simulator::Schedule(Seconds(1.1), [&]() { w.xfrm[1]->DeleteState(0x1001, w.b); });
  ns3::Simulator::Stop(Seconds(2));
  ns3::Simulator::Run();

  BOOST_TEST(sink.packets == count);
  const auto oldSa = w.Frames([](const WireFrame& f) { return f.Spi() == 0x1001; });
  const auto newSa = w.Frames([](const WireFrame& f) { return f.Spi() == 0x1002; });
  BOOST_TEST(oldSa.size() + newSa.size() == count);
  BOOST_TEST(!oldSa.empty());
  BOOST_TEST(!newSa.empty());
  for (const auto& f : oldSa) BOOST_TEST(f.time <= switched);
  BOOST_TEST(w.xfrm[1]->Counters().Total() == 0u);
}

BOOST_AUTO_TEST_CASE(lifetimes_raise_soft_then_hard_expiry) {
  TwoHosts w;
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  struct Seen {
    ns3::Time at;
    ExpireEvent event;
  };
  std::vector<Seen> events;
  auto record = ns3::MakeCallback(+[](std::vector<Seen>* v, const ExpireEvent& e) {
                  v->push_back({ns3::Simulator::Now(), e});
                }).Bind(&events);
  w.xfrm[0]->TraceConnectWithoutContext("Expire", record);

  StateConfig timed = w.State(0, 0x1001);  // by time: soft 2 s, hard 3 s
  timed.lifetime.softTime = Seconds(2);
  timed.lifetime.hardTime = Seconds(3);
  StateConfig counted = w.State(0, 0x1003);  // by bytes, for a different peer
  counted.dst = ns3::Ipv4Address("10.1.0.9");
  counted.lifetime.softBytes = 1000;
  counted.lifetime.hardBytes = 2000;
  BOOST_REQUIRE(w.xfrm[0]->AddState(timed));
  BOOST_REQUIRE(w.xfrm[0]->AddState(counted));
  BOOST_REQUIRE(w.xfrm[1]->AddState(timed));
  auto& sink = w.UdpSink(1, 5001);
  w.UdpSend(0, 5001, 100, 40, Seconds(0.5), MilliSeconds(100));  // until 4.4 s

  // Bytes: protected payloads of 108 bytes towards 10.1.0.9.
  Policy toNine;
  toNine.selector = {IpPrefix::Host(w.a), *IpPrefix::Parse("10.1.0.9"), 17, PortRange::Any(),
                     PortRange::Any()};
  w.xfrm[0]->AddPolicy(toNine);
  auto socket = ns3::Socket::CreateSocket(w.hosts.Get(0), ns3::UdpSocketFactory::GetTypeId());
  socket->Bind();
  for (int i = 0; i < 25; ++i) {
    ns3::Simulator::Schedule(Seconds(0.2) + MilliSeconds(i), [socket]() {
      socket->SendTo(ns3::Create<ns3::Packet>(100), 0,
                     ns3::InetSocketAddress(ns3::Ipv4Address("10.1.0.9"), 9));
    });
  }
  ns3::Simulator::Stop(Seconds(5));
  ns3::Simulator::Run();

  std::vector<Seen> byTime, byBytes;
  for (const auto& s : events) (s.event.spi == 0x1001 ? byTime : byBytes).push_back(s);
  BOOST_REQUIRE(byTime.size() == 2u);
  BOOST_TEST(!byTime[0].event.hard);
  BOOST_TEST(byTime[0].at == Seconds(2));
  BOOST_TEST(byTime[1].event.hard);
  BOOST_TEST(byTime[1].at == Seconds(3));
  BOOST_REQUIRE(byBytes.size() == 2u);
  BOOST_TEST(!byBytes[0].event.hard);
  BOOST_TEST(byBytes[1].event.hard);
  BOOST_TEST(byBytes[0].at < byBytes[1].at);
  // 2000 / 108 bytes: the 19th packet reaches the hard limit, the rest find no SA.
  // By time: the 15 packets from 3.0 s (the hard expiry runs first at 3.0 s) on.
  BOOST_TEST(w.xfrm[0]->Counters().Get(XfrmStat::kOutNoStates) == 6u + 15u);
  // Packets 0.5 s .. 2.9 s went out; after the hard expiry at 3 s none did.
  BOOST_TEST(sink.packets == 25u);
  for (const auto& f : w.Frames([](const WireFrame& f) { return f.Spi() == 0x1001; })) {
    BOOST_TEST(f.time < Seconds(3));
  }
  BOOST_TEST(w.xfrm[0]->States().Size() == 0u);
}

BOOST_AUTO_TEST_CASE(flush_removes_states_and_policies) {
  TwoHosts w;
  w.AddServicePolicies(17, 5001, PolicyAction::kProtect);
  w.AddSaPair();
  BOOST_TEST(w.xfrm[0]->States().Size() == 2u);
  BOOST_TEST(w.xfrm[0]->Policies().Size() == 4u);
  w.xfrm[0]->Flush();
  w.xfrm[1]->Flush();
  BOOST_TEST(w.xfrm[0]->States().Size() == 0u);
  BOOST_TEST(w.xfrm[0]->Policies().Size() == 0u);
  auto& sink = w.UdpSink(1, 5001);
  w.UdpSend(0, 5001, 100, 3, Seconds(1));
  ns3::Simulator::Stop(Seconds(2));
  ns3::Simulator::Run();
  // No drop shunt: without policies the traffic flows in clear.
  BOOST_TEST(w.Frames([](const WireFrame& f) { return f.DstPort() == 5001; }).size() == 3u);
  BOOST_TEST(sink.packets == 3u);
}

BOOST_AUTO_TEST_CASE(xfrm_stat_text_has_every_counter) {
  ipsecsim::XfrmCounters c;
  c.Increment(XfrmStat::kInNoStates, 3);
  const std::string text = FormatXfrmStat(c);
  BOOST_TEST(text.rfind("XfrmInError             \t0\n", 0) == 0u);
  BOOST_TEST(text.find("XfrmInNoStates          \t3\n") != std::string::npos);
  BOOST_TEST(std::count(text.begin(), text.end(), '\n') == long(XfrmStat::kCount));
}

BOOST_AUTO_TEST_SUITE_END()
