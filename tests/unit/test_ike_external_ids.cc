// Connections as an external endpoint's Libreswan file configures them:
// leftid=%fromcert (ID_DER_ASN1_DN), rightid=%fromcert, a leftcert of the
// connection's own, and right=%any templates instantiated per peer.
#include <boost/test/unit_test.hpp>

#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

std::shared_ptr<const IkeIdentity> DnIdentity(const pki::NodeEnrollment& node) {
  auto identity = std::make_shared<IkeIdentity>(Pki::Get().IdentityOf(node));
  identity->idFromCert = true;
  identity->id = "%fromcert";
  return identity;
}

// b answers anyone proving a certificate from the operator's CA.
ConnectionConfig BTemplate(const IpAddress& b) {
  ConnectionConfig t = BFromA(b, IpAddress::Any(b.GetFamily()), "%fromcert");
  t.name = "b-from-any";
  t.identity = DnIdentity(Pki::Get().b);
  return t;
}

// a sends five datagrams to b over a connection authenticated with `aIdentity`
// (rightid=%fromcert), to b's template.
struct TemplateRun {
  IkeWorld w;
  IkeWorld::Sink* atB = nullptr;
  explicit TemplateRun(std::shared_ptr<const IkeIdentity> aIdentity) {
    w.ConfigureDefault();
    w.aConnection.remoteId = "%fromcert";
    w.aConnection.identity = std::move(aIdentity);
    w.bConnection = BTemplate(IpAddressOf(w.Ip(1)));
    w.Load();
    atB = &w.UdpSink(1, kServicePort);
    w.UdpSend(0, kReplyPort, kServicePort, 5, ns3::Seconds(1));
    w.Run(ns3::Seconds(5));
    BOOST_TEST_MESSAGE(DumpLogs(w));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_external_ids)

BOOST_AUTO_TEST_CASE(a_right_any_template_answers_a_dn_identity_and_becomes_an_instance) {
  TemplateRun run(DnIdentity(Pki::Get().a));
  IkeWorld& w = run.w;
  BOOST_TEST(run.atB->packets == 5u);
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.protocol == 50 && f.sender == 0; }) == 5u);
  const auto status = w.daemons[1]->TrafficStatus();
  const ConnectionStatus* instance = nullptr;
  for (const ConnectionStatus& c : status)
    if (c.name == "b-from-any[1]") instance = &c;
  BOOST_REQUIRE(instance);
  BOOST_TEST(instance->state == ConnectionState::kUp);
  // a authenticated with its certificate's subject as an ID_DER_ASN1_DN.
  BOOST_TEST(instance->peerId == "DN:" + ToHex(Pki::Get().a.Cert()->subjectName));
  // The template itself stays down: it has no peer.
  for (const ConnectionStatus& c : status)
    if (c.name == "b-from-any") BOOST_TEST(c.state == ConnectionState::kDown);
}

BOOST_AUTO_TEST_CASE(a_certificate_from_a_ca_the_template_does_not_trust_fails_ike_auth) {
  TemplateRun run(DnIdentity(Pki::Get().aForeign));
  IkeWorld& w = run.w;
  BOOST_TEST(run.atB->packets == 0u);
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.protocol == 50; }) == 0u);
  bool refused = false;
  for (const ConnectionStatus& c : w.daemons[0]->TrafficStatus())
    if (c.name == "a-to-b") refused = c.failure.find("AUTHENTICATION_FAILED") != std::string::npos;
  BOOST_TEST(refused);
}

BOOST_AUTO_TEST_CASE(a_fixed_rightid_refuses_a_dn_identity) {
  IkeWorld w;
  w.ConfigureDefault();
  w.aConnection.identity = DnIdentity(Pki::Get().a);
  w.Load();  // b expects @system-a, a sends its DN
  auto& atB = w.UdpSink(1, kServicePort);
  w.UdpSend(0, kReplyPort, kServicePort, 3, ns3::Seconds(1));
  w.Run(ns3::Seconds(5));
  BOOST_TEST(atB.packets == 0u);
}

BOOST_AUTO_TEST_CASE(a_tunnel_mode_pair_installs_tunnel_states_and_carries_the_flow) {
  IkeWorld w;
  w.ConfigureDefault();
  w.aConnection.tunnel = true;
  w.bConnection.tunnel = true;
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort);
  w.UdpSend(0, kReplyPort, kServicePort, 5, ns3::Seconds(1));
  w.Run(ns3::Seconds(5));
  BOOST_TEST_MESSAGE(DumpLogs(w));
  BOOST_TEST(atB.packets == 5u);
  const auto esp = w.Frames([](const WireFrame& f) { return f.protocol == 50 && f.sender == 0; });
  BOOST_REQUIRE_EQUAL(esp.size(), 5u);
  // Outer IPv4 20 + ESP 8 + IV 8 + inner IPv4 20 + UDP 8 + 200 + pad 2 + 2 + ICV 16.
  BOOST_TEST(esp.front().length == 284u);
  for (const auto& stack : w.stacks) {
    BOOST_REQUIRE_EQUAL(stack->States().All().size(), 2u);
    for (const xfrm::State* state : stack->States().All())
      BOOST_TEST((state->config.mode == xfrm::XfrmMode::kTunnel));
  }
}

BOOST_AUTO_TEST_CASE(a_tunnel_request_to_a_transport_connection_gets_no_proposal_chosen) {
  IkeWorld w;
  w.ConfigureDefault();
  w.aConnection.tunnel = true;  // b's stays transport
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort);
  w.UdpSend(0, kReplyPort, kServicePort, 3, ns3::Seconds(1));
  w.Run(ns3::Seconds(5));
  BOOST_TEST(atB.packets == 0u);
  BOOST_TEST(w.Count([](const WireFrame& f) { return f.protocol == 50; }) == 0u);
  bool refused = false;
  for (const ConnectionStatus& c : w.daemons[0]->TrafficStatus())
    if (c.name == "a-to-b") refused = c.failure.find("NO_PROPOSAL_CHOSEN") != std::string::npos;
  BOOST_TEST(refused);
}

BOOST_AUTO_TEST_SUITE_END()
