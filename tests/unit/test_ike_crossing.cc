// Crossing streams on the simulated wire: both nodes start the same
// connection pair. Under the rfc7296 profile the duplicate IKE SA is deleted
// and traffic flows both ways; under the libreswan-4.x-defect profile, when
// the two IKE_AUTH exchanges overlap, one direction's ESP is dropped at the
// receiver (XfrmInNoStates) while both daemons report the connection up.
// Start offsets outside the window work under both profiles.
#include <boost/test/unit_test.hpp>

#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

struct Outcome {
  uint32_t aToB = 0;  // datagrams delivered
  uint32_t bToA = 0;
  ConnectionState a = ConnectionState::kDown;
  ConnectionState b = ConnectionState::kDown;
  uint64_t inNoStatesA = 0;
  uint64_t inNoStatesB = 0;
  size_t statesA = 0;
  size_t statesB = 0;
  uint64_t duplicatesDeleted = 0;
  uint64_t yields = 0;
  std::string log;
  bool Broken() const { return aToB < kFlow || bToA < kFlow; }
  static constexpr uint32_t kFlow = 10;
};

// Both connections are loaded (auto=route) at 0; a starts "a-to-b" at 1 s,
// b starts its mirror "b-from-a" at 1 s + `offset` (ipsec auto --up); from
// 2.5 s each sends 10 datagrams to the other.
Outcome RunCrossing(const std::string& profile, ns3::Time offset) {
  IkeWorld w;
  w.ConfigureDefault();
  for (auto& d : w.daemons) d->SetAttribute("CrossingStreamsProfile", ns3::StringValue(profile));
  w.bConnection.autoMode = AutoMode::kRoute;
  w.Load();
  const ns3::Time start = ns3::Seconds(1);
  ns3::Simulator::Schedule(start, [&w]() { w.daemons[0]->Initiate("a-to-b"); });
  ns3::Simulator::Schedule(start + offset, [&w]() { w.daemons[1]->Initiate("b-from-a"); });
  auto& atA = w.UdpSend(0, kReplyPort, kServicePort, Outcome::kFlow, ns3::Seconds(2.5));
  auto& atB = w.UdpSend(1, kServicePort, kReplyPort, Outcome::kFlow, ns3::Seconds(2.5));
  w.Run(ns3::Seconds(4));
  Outcome o;
  o.aToB = atB.packets;
  o.bToA = atA.packets;
  o.a = w.daemons[0]->Status("a-to-b").state;
  o.b = w.daemons[1]->Status("b-from-a").state;
  o.inNoStatesA = w.stacks[0]->Counters().Get(XfrmStat::kInNoStates);
  o.inNoStatesB = w.stacks[1]->Counters().Get(XfrmStat::kInNoStates);
  o.statesA = w.stacks[0]->States().Size();
  o.statesB = w.stacks[1]->States().Size();
  for (auto& d : w.daemons) {
    o.duplicatesDeleted += d->Counters().duplicatesDeleted;
    o.yields += d->Counters().crossingYields;
  }
  o.log = DumpLogs(w);
  // Every datagram of both flows was ESP on the wire.
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.protocol == 17 && (f.DstPort() == kServicePort || f.DstPort() == kReplyPort);
  }) == 0u);
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_crossing)

BOOST_AUTO_TEST_CASE(rfc7296_simultaneous_start_ends_with_one_pair) {
  const Outcome o = RunCrossing("rfc7296", ns3::Seconds(0));
  BOOST_TEST_MESSAGE(o.log);
  BOOST_TEST(o.a == ConnectionState::kUp);
  BOOST_TEST(o.b == ConnectionState::kUp);
  BOOST_TEST(o.duplicatesDeleted == 1u);  // one side deleted the IKE SA it made
  BOOST_TEST(o.statesA == 2u);            // one inbound and one outbound ESP SA each
  BOOST_TEST(o.statesB == 2u);
  BOOST_TEST(o.aToB == Outcome::kFlow);
  BOOST_TEST(o.bToA == Outcome::kFlow);
  BOOST_TEST(o.inNoStatesA == 0u);
  BOOST_TEST(o.inNoStatesB == 0u);
}

BOOST_AUTO_TEST_CASE(defect_profile_simultaneous_start_breaks_one_direction) {
  const Outcome o = RunCrossing("libreswan-4.x-defect", ns3::Seconds(0));
  BOOST_TEST_MESSAGE(o.log);
  BOOST_TEST(o.a == ConnectionState::kUp);  // both report up ...
  BOOST_TEST(o.b == ConnectionState::kUp);
  BOOST_TEST(o.yields == 1u);
  // ... yet one direction is dropped at its receiver for lack of an SA.
  const bool abBroken = o.aToB == 0;
  BOOST_TEST((o.aToB == 0) != (o.bToA == 0));
  BOOST_TEST((abBroken ? o.bToA : o.aToB) == Outcome::kFlow);
  BOOST_TEST((abBroken ? o.inNoStatesB : o.inNoStatesA) == Outcome::kFlow);
  BOOST_TEST((abBroken ? o.inNoStatesA : o.inNoStatesB) == 0u);
}

BOOST_AUTO_TEST_CASE(defect_profile_works_when_the_starts_are_far_apart) {
  for (double offset : {-0.9, -0.02, 0.02, 0.9}) {
    const Outcome o = RunCrossing("libreswan-4.x-defect", ns3::Seconds(offset));
    BOOST_TEST(o.a == ConnectionState::kUp);
    BOOST_TEST(o.b == ConnectionState::kUp);
    BOOST_TEST(o.yields == 0u);
    BOOST_TEST(o.aToB == Outcome::kFlow, "offset " << offset);
    BOOST_TEST(o.bToA == Outcome::kFlow, "offset " << offset);
    BOOST_TEST(o.inNoStatesA + o.inNoStatesB == 0u);
  }
}

// Start offsets from -15 ms to +15 ms in 0.5 ms steps: the defect profile
// breaks the pair exactly in one contiguous window around 0; rfc7296 never.
BOOST_AUTO_TEST_CASE(defect_window_follows_from_timing) {
  std::vector<double> broken;
  int rfcBroken = 0;
  int runs = 0;
  for (int step = -30; step <= 30; ++step) {
    const double ms = step * 0.5;
    ++runs;
    if (RunCrossing("libreswan-4.x-defect", ns3::MicroSeconds(int64_t(ms * 1000))).Broken())
      broken.push_back(ms);
    if (RunCrossing("rfc7296", ns3::MicroSeconds(int64_t(ms * 1000))).Broken()) ++rfcBroken;
  }
  BOOST_TEST(rfcBroken == 0);
  BOOST_REQUIRE(!broken.empty());
  BOOST_TEST(broken.front() <= 0.0);
  BOOST_TEST(broken.back() >= 0.0);
  BOOST_TEST(broken.back() - broken.front() == 0.5 * (broken.size() - 1));  // contiguous
  BOOST_TEST(broken.front() > -15.0);  // and closed on both sides
  BOOST_TEST(broken.back() < 15.0);
  BOOST_TEST_MESSAGE("defect window: offsets " << broken.front() << " .. " << broken.back()
                                               << " ms (" << broken.size() << " of " << runs
                                               << " offsets)");
}

BOOST_AUTO_TEST_SUITE_END()
