// IKE exchanges that must not produce an SA, and ones that must survive a
// lost message: verdicts from the frames on the simulated wire, the SADs and
// the daemons' status.
#include <boost/test/unit_test.hpp>

#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

constexpr uint8_t kIkeSaInit = 34;
constexpr uint8_t kIkeAuth = 35;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The trapped flow from a to b, started at 1 s; returns what b received.
IkeWorld::Sink& StartFlow(IkeWorld& w) {
  auto& atB = w.UdpSink(1, kServicePort);
  w.UdpSend(0, kReplyPort, kServicePort, 3, ns3::Seconds(1));
  return atB;
}

// No SA anywhere, no ESP and nothing of the flow on the wire or delivered.
void CheckNoSa(const IkeWorld& w, const IkeWorld::Sink& atB) {
  BOOST_TEST(w.stacks[0]->States().Size() == 0u);
  BOOST_TEST(w.stacks[1]->States().Size() == 0u);
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.protocol == 50; }) == 0u);
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.DstPort() == kServicePort; }) == 0u);
  BOOST_TEST(atB.packets == 0u);
}

// b refuses a's IKE_AUTH: the four messages are on the wire, the last one
// (b's response) carries AUTHENTICATION_FAILED, and a reports it.
void CheckAuthenticationFailed(IkeWorld& w, const IkeWorld::Sink& atB, const std::string& bReason) {
  BOOST_TEST_MESSAGE(DumpLogs(w));
  const auto ike = w.Frames([](const WireFrame& f) { return f.IsIke(); });
  BOOST_REQUIRE_EQUAL(ike.size(), 4u);
  BOOST_TEST(ike[3].IkeExchange() == kIkeAuth);
  BOOST_TEST(ike[3].sender == 1u);
  CheckNoSa(w, atB);
  const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
  BOOST_TEST(a.state == ConnectionState::kFailed);
  BOOST_TEST(Contains(a.failure, "AUTHENTICATION_FAILED"), a.failure);
  BOOST_TEST(w.daemons[1]->Status("b-from-a").state == ConnectionState::kDown);
  BOOST_TEST(Contains(DumpLogs(w), bReason), "b's log names " << bReason);
  BOOST_TEST(w.daemons[0]->Counters().retransmitted == 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_exchange_failures)

BOOST_AUTO_TEST_CASE(certificate_from_another_ca_is_refused) {
  IkeWorld w;
  Pki& pki = Pki::Get();
  w.Configure(pki.IdentityOf(pki.aForeign), pki.IdentityOf(pki.b));
  w.Load();
  auto& atB = StartFlow(w);
  w.Run(ns3::Seconds(5));
  CheckAuthenticationFailed(w, atB, "unknown issuer");
}

BOOST_AUTO_TEST_CASE(expired_certificate_is_refused_at_simulated_time) {
  IkeWorld w;
  for (auto& d : w.daemons)  // the run starts 6 years after issue; certificates last 5
    d->SetAttribute("EpochSeconds", ns3::IntegerValue(kEpoch + 6 * pki::kYear));
  w.ConfigureDefault();
  w.Load();
  auto& atB = StartFlow(w);
  w.Run(ns3::Seconds(5));
  CheckAuthenticationFailed(w, atB, "peer certificate: expired");
}

BOOST_AUTO_TEST_CASE(certificate_expiring_during_the_run_is_accepted_before_and_refused_after) {
  // Same identities; only the simulated moment of the exchange differs.
  const int64_t notAfter = Pki::Get().a.Cert()->notAfter;
  for (int64_t offset : {-10, +10}) {
    IkeWorld w;
    for (auto& d : w.daemons)  // the exchange happens at 1 s
      d->SetAttribute("EpochSeconds", ns3::IntegerValue(notAfter - 1 + offset));
    w.ConfigureDefault();
    w.Load();
    auto& atB = StartFlow(w);
    w.Run(ns3::Seconds(5));
    const bool before = offset < 0;
    BOOST_TEST((w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp) == before);
    BOOST_TEST(atB.packets == (before ? 3u : 0u));
  }
}

BOOST_AUTO_TEST_CASE(wrong_peer_id_is_refused) {
  IkeWorld w;
  Pki& pki = Pki::Get();
  w.Configure(pki.IdentityOf(pki.a), pki.IdentityOf(pki.b), "@system-x");
  w.Load();
  auto& atB = StartFlow(w);
  w.Run(ns3::Seconds(5));
  CheckAuthenticationFailed(w, atB, "no connection for peer ID @system-a");
}

BOOST_AUTO_TEST_CASE(initiator_refuses_a_responder_with_the_wrong_id) {
  IkeWorld w;
  w.ConfigureDefault();
  w.aConnection.remoteId = "@system-x";
  w.Load();
  auto& atB = StartFlow(w);
  w.Run(ns3::Seconds(5));
  const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
  BOOST_TEST(a.state == ConnectionState::kFailed);
  BOOST_TEST(Contains(a.failure, "AUTHENTICATION_FAILED: peer ID @system-b is not @system-x"),
             a.failure);
  BOOST_TEST(w.stacks[0]->States().Size() == 0u);
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.protocol == 50; }) == 0u);
  BOOST_TEST(atB.packets == 0u);
}

BOOST_AUTO_TEST_CASE(no_acceptable_proposal_ends_after_ike_sa_init) {
  IkeWorld w;
  w.ConfigureDefault();
  // a offers aes_gcm128 only; b accepts aes_gcm256 only.
  w.aConnection.ikeProposal.transforms[0].attributes[0].shortValue = 128;
  w.Load();
  auto& atB = StartFlow(w);
  w.Run(ns3::Seconds(5));
  const auto ike = w.Frames([](const WireFrame& f) { return f.IsIke(); });
  BOOST_REQUIRE_EQUAL(ike.size(), 2u);
  BOOST_TEST(ike[1].IkeExchange() == kIkeSaInit);
  BOOST_TEST(ike[1].IsIkeResponse());
  // The response is a bare NO_PROPOSAL_CHOSEN notify (type 14) with SPIr 0.
  const auto& l4 = ike[1].l4;
  BOOST_REQUIRE(l4.size() >= 8 + 28 + 8);
  BOOST_TEST(std::all_of(l4.begin() + 16, l4.begin() + 24, [](uint8_t b) { return b == 0; }));
  BOOST_TEST(l4[8 + 16] == 41);  // first payload: Notify
  BOOST_TEST((l4[8 + 28 + 6] << 8 | l4[8 + 28 + 7]) == 14);
  CheckNoSa(w, atB);
  const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
  BOOST_TEST(a.state == ConnectionState::kFailed);
  BOOST_TEST(Contains(a.failure, "NO_PROPOSAL_CHOSEN"), a.failure);
}

BOOST_AUTO_TEST_CASE(lost_ike_sa_init_is_retransmitted_and_the_sa_comes_up) {
  IkeWorld w;
  w.DropReceived(1, {0});  // the first frame b receives: a's IKE_SA_INIT
  w.ConfigureDefault();
  w.Load();
  auto& atB = StartFlow(w);
  w.Run(ns3::Seconds(5));
  BOOST_TEST_MESSAGE(DumpLogs(w));
  const auto inits = w.Frames(
      [](const WireFrame& f) { return f.IkeExchange() == kIkeSaInit && !f.IsIkeResponse(); });
  BOOST_REQUIRE_EQUAL(inits.size(), 2u);
  BOOST_TEST(inits[0].l4 == inits[1].l4);  // the same datagram again
  const ns3::Time gap = inits[1].time - inits[0].time;
  BOOST_TEST(gap == ns3::MilliSeconds(500));
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.IsIke(); }) == 5u);
  BOOST_TEST(w.daemons[0]->Counters().retransmitted == 1u);
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp);
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.protocol == 50 && f.sender == 0; }) == 3u);
  BOOST_TEST(atB.packets == 3u);
}

BOOST_AUTO_TEST_CASE(lost_ike_auth_response_is_answered_again_from_the_stored_response) {
  IkeWorld w;
  w.DropReceived(0, {1});  // a receives: INIT response (0), AUTH response (1)
  w.ConfigureDefault();
  w.Load();
  auto& atB = StartFlow(w);
  w.Run(ns3::Seconds(5));
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.IkeExchange() == kIkeAuth && !f.IsIkeResponse();
  }) == 2u);
  const auto responses =
      w.Frames([](const WireFrame& f) { return f.IkeExchange() == kIkeAuth && f.IsIkeResponse(); });
  BOOST_REQUIRE_EQUAL(responses.size(), 2u);
  BOOST_TEST(responses[0].l4 == responses[1].l4);
  BOOST_TEST(w.daemons[1]->Counters().replayedResponses == 1u);
  BOOST_TEST(w.daemons[1]->Counters().childSasInstalled == 1u);  // not installed twice
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp);
  BOOST_TEST(atB.packets == 3u);
}

// b's D-H takes 1.2 s, longer than a's 0.5 s retransmission timer: the
// retransmitted IKE_SA_INIT arrives while the first copy still waits for b's
// CPU. It is discarded, not queued and answered again, so b answers once and
// the SA is up as soon as the first copy is done.
BOOST_AUTO_TEST_CASE(a_retransmission_of_a_request_still_in_work_is_discarded) {
  IkeWorld w;
  w.daemons[1]->SetAttribute("DhCost", ns3::TimeValue(ns3::MilliSeconds(1200)));
  w.ConfigureDefault();
  w.Load();
  auto& atB = StartFlow(w);
  w.Run(ns3::Seconds(6));
  BOOST_TEST_MESSAGE(DumpLogs(w));
  const auto isInit = [](const WireFrame& f) { return f.IkeExchange() == kIkeSaInit; };
  BOOST_TEST(w.Count([&](const WireFrame& f) { return isInit(f) && !f.IsIkeResponse(); }) == 2u);
  const auto responses =
      w.Frames([&](const WireFrame& f) { return isInit(f) && f.IsIkeResponse(); });
  BOOST_REQUIRE_EQUAL(responses.size(), 1u);
  // a's D-H (2 ms) before its request, then b's 1.2 s: charged once.
  BOOST_TEST(responses[0].time < ns3::MilliSeconds(2300));
  BOOST_TEST(w.daemons[1]->Counters().busyDiscarded == 1u);
  BOOST_TEST(w.daemons[1]->Counters().replayedResponses == 0u);
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp);
  BOOST_TEST(atB.packets == 3u);
}

// a's D-H takes 1.2 s: its retransmission timer fires while b's response
// waits for a's CPU, b answers the retransmitted request from its stored
// response at once, and that second copy finds the first still in work.
BOOST_AUTO_TEST_CASE(a_duplicate_response_behind_the_first_is_discarded) {
  IkeWorld w;
  w.daemons[0]->SetAttribute("DhCost", ns3::TimeValue(ns3::MilliSeconds(1200)));
  w.ConfigureDefault();
  w.Load();
  auto& atB = StartFlow(w);
  w.Run(ns3::Seconds(8));
  BOOST_TEST_MESSAGE(DumpLogs(w));
  BOOST_TEST(w.daemons[1]->Counters().replayedResponses == 1u);
  BOOST_TEST(w.daemons[0]->Counters().busyDiscarded == 1u);
  BOOST_TEST(w.Count([](const WireFrame& f) {
    return f.IkeExchange() == kIkeAuth && !f.IsIkeResponse();
  }) == 1u);
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kUp);
  BOOST_TEST(atB.packets == 3u);
}

BOOST_AUTO_TEST_CASE(peer_down_gives_up_after_the_configured_tries) {
  IkeWorld w;
  w.daemons[0]->SetAttribute("RetransmitTries", ns3::UintegerValue(3));
  Pki& pki = Pki::Get();
  w.Configure(pki.IdentityOf(pki.a), pki.IdentityOf(pki.b), "@system-a", /*bUp=*/false);
  w.Load();
  auto& atB = StartFlow(w);
  ns3::Time failedAt;
  w.daemons[0]->TraceConnectWithoutContext(
      "ConnectionFailed", ns3::MakeCallback(+[](ns3::Time* t, const ConnectionStatus&) {
                            *t = ns3::Simulator::Now();
                          }).Bind(&failedAt));
  w.Run(ns3::Seconds(10));
  const auto inits = w.Frames([](const WireFrame& f) { return f.IkeExchange() == kIkeSaInit; });
  BOOST_REQUIRE_EQUAL(inits.size(), 3u);
  BOOST_TEST(inits[1].time - inits[0].time == ns3::MilliSeconds(500));
  BOOST_TEST(inits[2].time - inits[1].time == ns3::MilliSeconds(1000));
  BOOST_TEST(failedAt - inits[2].time == ns3::MilliSeconds(2000));
  const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
  BOOST_TEST(a.state == ConnectionState::kFailed);
  BOOST_TEST(a.failure == "no response after 3 transmissions");
  BOOST_TEST(w.daemons[0]->Counters().gaveUp == 1u);
  CheckNoSa(w, atB);
}

BOOST_AUTO_TEST_SUITE_END()
