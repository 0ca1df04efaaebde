// Modelled crypto (IkeDaemon attribute ModelledCrypto): the stand-ins agree
// with themselves and not with the real operations; a two-node exchange
// puts the same messages of the same sizes on the wire as with real crypto;
// certificate failures still fail; tshark decrypts IKE and ESP of a
// modelled run with the recorded keys.
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "auth_octets.h"
#include "modelled_crypto.h"
#include "run_command.h"
#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

size_t Occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

struct Outcome {
  std::vector<std::pair<uint8_t, size_t>> ike;  // exchange type, datagram size
  std::vector<uint32_t> espSpis;
  uint32_t delivered = 0;
  uint32_t echoed = 0;
  ConnectionStatus a;
  std::string log;
  uint64_t ikeRekeys = 0;
  uint64_t childRekeys = 0;
};

void SetModelled(IkeWorld& w, bool modelled) {
  for (auto& d : w.daemons) d->SetAttribute("ModelledCrypto", ns3::BooleanValue(modelled));
}

// The happy path of test_ike_exchange: 5 datagrams trapped, echoed by b.
// With `keysDir`, the run's keys go to KEYSDIR/home/.config/wireshark/
// ikev2_decryption_table and KEYSDIR/esp_sa.
Outcome RunExchange(bool modelled, const std::string& pcapPrefix = "",
                    const std::string& keysDir = "") {
  IkeWorld w(pcapPrefix);
  SetModelled(w, modelled);
  w.ConfigureDefault();
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
  auto& atA = w.UdpSend(0, kReplyPort, kServicePort, 5, ns3::Seconds(1));
  w.Run(ns3::Seconds(3));
  Outcome o;
  for (const auto& f : w.wire) {
    if (f.IsIke()) o.ike.emplace_back(f.IkeExchange(), f.l4.size());
    if (f.protocol == 50) o.espSpis.push_back(f.EspSpi());
  }
  o.delivered = atB.packets;
  o.echoed = atA.packets;
  o.a = w.daemons[0]->Status("a-to-b");
  o.log = DumpLogs(w);
  if (!keysDir.empty()) {
    BOOST_REQUIRE(w.keys.ike.Write(keysDir + "/home/.config/wireshark/ikev2_decryption_table"));
    BOOST_REQUIRE(w.keys.esp.Write(keysDir + "/esp_sa"));
  }
  return o;
}

// 6 s of traffic across IKE SA rekeys (every 2 s) and PFS Child SA rekeys
// (every 2 s): every CREATE_CHILD_SA carries a KE.
Outcome RunRekeys(bool modelled) {
  IkeWorld w;
  SetModelled(w, modelled);
  for (auto& d : w.daemons) {
    d->SetAttribute("IkeLifetime", ns3::TimeValue(ns3::Seconds(3)));
    d->SetAttribute("IkeRekeyMargin", ns3::TimeValue(ns3::Seconds(1)));
    d->SetAttribute("RekeyPfs", ns3::BooleanValue(true));
  }
  w.ConfigureDefault();
  for (ConnectionConfig* c : {&w.aConnection, &w.bConnection}) {
    c->saLifetimeSeconds = 3;
    c->rekeyMarginSeconds = 1;
  }
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
  auto& atA = w.UdpSend(0, kReplyPort, kServicePort, 240, ns3::Seconds(1), ns3::MilliSeconds(25));
  w.Run(ns3::Seconds(7.5));
  Outcome o;
  for (const auto& f : w.wire)
    if (f.IsIke()) o.ike.emplace_back(f.IkeExchange(), f.l4.size());
  o.delivered = atB.packets;
  o.echoed = atA.packets;
  o.a = w.daemons[0]->Status("a-to-b");
  o.log = DumpLogs(w);
  o.ikeRekeys = w.daemons[0]->Counters().ikeSasRekeyed;
  o.childRekeys = w.daemons[0]->Counters().childSasRekeyed;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_modelled)

BOOST_AUTO_TEST_CASE(modelled_dh_agrees_with_itself_only) {
  pki::DeterministicRng rngA(1, "a"), rngB(1, "b");
  const auto a = Modp2048KeyPair::GenerateModelled(rngA);
  const auto b = Modp2048KeyPair::GenerateModelled(rngB);
  BOOST_TEST(a.PublicValue().size() == kModp2048Len);
  BOOST_TEST(a.PublicValue() != b.PublicValue());
  const auto ab = a.SharedSecret(b.PublicValue());
  const auto ba = b.SharedSecret(a.PublicValue());
  BOOST_REQUIRE(ab && ba);
  BOOST_TEST(*ab == *ba);
  BOOST_TEST(ab->size() == kModp2048Len);
  // The modelled public value is a valid group element for a real peer...
  pki::DeterministicRng rngC(1, "c");
  const auto real = Modp2048KeyPair::Generate(rngC);
  const auto mixed = real.SharedSecret(a.PublicValue());
  BOOST_REQUIRE(mixed);
  // ...but the two do not agree: both ends must run the same mode.
  BOOST_TEST(*mixed != *a.SharedSecret(real.PublicValue()));
  // Degenerate peer values are refused as in real mode.
  BOOST_TEST(!a.SharedSecret(Bytes(kModp2048Len, 0)));
  Bytes one(kModp2048Len, 0);
  one.back() = 1;
  BOOST_TEST(!a.SharedSecret(one));
  BOOST_TEST(!a.SharedSecret(Modp2048Prime()));
  BOOST_TEST(!a.SharedSecret(Bytes(100, 7)));
}

BOOST_AUTO_TEST_CASE(modelled_auth_has_rsa_size_and_needs_the_right_public_key) {
  Pki& pki = Pki::Get();
  const Bytes octets(600, 0x42);
  const AuthPayload auth = modelled::SignAuth(pki.a.Key(), octets);
  const AuthPayload real = SignAuth(pki.a.Key(), octets);
  BOOST_TEST(auth.method == real.method);
  BOOST_TEST(auth.data.size() == real.data.size());
  BOOST_TEST(auth.data.size() == 256u);
  BOOST_TEST(auth.data != real.data);
  BOOST_TEST(modelled::VerifyAuth(pki.a.Cert()->publicKey, octets, auth));
  BOOST_TEST(!modelled::VerifyAuth(pki.b.Cert()->publicKey, octets, auth));
  BOOST_TEST(!modelled::VerifyAuth(pki.aForeign.Cert()->publicKey, octets, auth));
  Bytes altered = octets;
  altered[17] ^= 1;
  BOOST_TEST(!modelled::VerifyAuth(pki.a.Cert()->publicKey, altered, auth));
  // Not a signature: a real verifier refuses it.
  BOOST_TEST(!VerifyAuth(pki.a.Cert()->publicKey, octets, auth));
}

BOOST_AUTO_TEST_CASE(modelled_exchange_puts_the_same_messages_on_the_wire) {
  const Outcome real = RunExchange(false);
  const Outcome modelled = RunExchange(true);
  BOOST_TEST_MESSAGE(modelled.log);
  BOOST_REQUIRE_EQUAL(modelled.ike.size(), 4u);
  BOOST_TEST(modelled.ike == real.ike);          // same exchanges, same sizes, same order
  BOOST_TEST(modelled.espSpis == real.espSpis);  // same random draws: same SPIs
  BOOST_TEST(modelled.espSpis.size() == 10u);
  BOOST_TEST(modelled.delivered == 5u);
  BOOST_TEST(modelled.echoed == 5u);
  BOOST_TEST(modelled.a.state == ConnectionState::kUp);
  BOOST_TEST(modelled.a.upSince == real.a.upSince);  // CPU costs charged alike
}

BOOST_AUTO_TEST_CASE(modelled_rekeys_with_ke_match_real_ones_on_the_wire) {
  const Outcome real = RunRekeys(false);
  const Outcome modelled = RunRekeys(true);
  BOOST_TEST_MESSAGE(modelled.log);
  BOOST_TEST(modelled.delivered == 240u);
  BOOST_TEST(modelled.echoed == 240u);
  BOOST_TEST(modelled.ikeRekeys >= 2u);
  BOOST_TEST(modelled.childRekeys >= 2u);
  BOOST_TEST(modelled.ikeRekeys == real.ikeRekeys);
  BOOST_TEST(modelled.childRekeys == real.childRekeys);
  BOOST_TEST(modelled.ike == real.ike);  // same exchanges, same sizes (KE included)
}

BOOST_AUTO_TEST_CASE(mixed_modes_do_not_agree) {
  IkeWorld w;
  w.daemons[0]->SetAttribute("ModelledCrypto", ns3::BooleanValue(true));
  for (auto& d : w.daemons) d->SetAttribute("RetransmitTries", ns3::UintegerValue(2));
  w.ConfigureDefault();
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort);
  w.UdpSend(0, kReplyPort, kServicePort, 3, ns3::Seconds(1));
  w.Run(ns3::Seconds(5));
  BOOST_TEST(atB.packets == 0u);
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kFailed);
  BOOST_TEST_MESSAGE(DumpLogs(w));
  // The modelled g^x is a valid group element, so b accepts IKE_SA_INIT, but
  // the two ends derive different keys: b cannot open a's IKE_AUTH.
  BOOST_TEST(w.daemons[1]->Counters().dropped >= 1u);
  BOOST_TEST(DumpLogs(w).find("dropped: SK payload") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(modelled_mode_still_refuses_a_foreign_ca_and_an_expired_certificate) {
  Pki& pki = Pki::Get();
  for (bool expired : {false, true}) {
    IkeWorld w;
    SetModelled(w, true);
    if (expired)
      for (auto& d : w.daemons)
        d->SetAttribute("EpochSeconds", ns3::IntegerValue(kEpoch + 6 * pki::kYear));
    w.Configure(pki.IdentityOf(expired ? pki.a : pki.aForeign), pki.IdentityOf(pki.b));
    w.Load();
    auto& atB = w.UdpSink(1, kServicePort);
    w.UdpSend(0, kReplyPort, kServicePort, 3, ns3::Seconds(1));
    w.Run(ns3::Seconds(5));
    const std::string log = DumpLogs(w);
    BOOST_TEST_MESSAGE(log);
    BOOST_TEST(atB.packets == 0u);
    BOOST_TEST(w.stacks[0]->States().Size() == 0u);
    BOOST_TEST(w.stacks[1]->States().Size() == 0u);
    const ConnectionStatus a = w.daemons[0]->Status("a-to-b");
    BOOST_TEST(a.state == ConnectionState::kFailed);
    BOOST_TEST(a.failure.find("AUTHENTICATION_FAILED") != std::string::npos, a.failure);
    const std::string why = expired ? "peer certificate: expired" : "unknown issuer";
    BOOST_TEST(log.find(why) != std::string::npos, "b's log names " << why);
  }
}

BOOST_AUTO_TEST_CASE(modelled_mode_still_refuses_a_wrong_id) {
  IkeWorld w;
  SetModelled(w, true);
  Pki& pki = Pki::Get();
  w.Configure(pki.IdentityOf(pki.a), pki.IdentityOf(pki.b), "@system-x");
  w.Load();
  auto& atB = w.UdpSink(1, kServicePort);
  w.UdpSend(0, kReplyPort, kServicePort, 3, ns3::Seconds(1));
  w.Run(ns3::Seconds(5));
  BOOST_TEST(atB.packets == 0u);
  BOOST_TEST(w.daemons[0]->Status("a-to-b").state == ConnectionState::kFailed);
  BOOST_TEST(DumpLogs(w).find("no connection for peer ID") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tshark_decrypts_a_modelled_run_with_the_recorded_keys) {
  const std::string dir = ipsecsim::test::MakeTempDir("ike-modelled");
  const std::string home = dir + "/home";
  const Outcome o = RunExchange(true, dir + "/ike", dir);
  BOOST_REQUIRE_EQUAL(o.delivered, 5u);
  const std::string pcap = dir + "/ike-0-0.pcap";

  const auto ike =
      ipsecsim::test::RunCommand("HOME=" + home + " tshark -r " + pcap + " -V -Y isakmp 2>&1");
  BOOST_REQUIRE_EQUAL(ike.exitCode, 0);
  BOOST_TEST(Occurrences(ike.output, " (16 bytes)[correct]") == 2u, ike.output.substr(0, 4000));
  BOOST_TEST(ike.output.find("ID_FQDN: system-a") != std::string::npos);
  // The AUTH payload dissects as an RSA signature of 256 bytes; it is not one.
  BOOST_TEST(Occurrences(ike.output, "Authentication Method: RSA Digital Signature (1)") == 2u);
  // 8 + 256 bytes: the two KE payloads and the two AUTH payloads.
  BOOST_TEST(Occurrences(ike.output, "Payload length: 264") == 4u);

  std::ifstream in(dir + "/esp_sa");
  std::string line, options = " -o esp.enable_encryption_decode:TRUE";
  while (std::getline(in, line)) options += " -o 'uat:esp_sa:" + line + "'";
  const auto esp = ipsecsim::test::RunCommand(
      "HOME=" + home + " tshark -r " + pcap + options +
      " -Y 'esp && udp.dstport == " + std::to_string(kServicePort) + "' -T fields -e esp.spi 2>&1");
  BOOST_REQUIRE_EQUAL(esp.exitCode, 0);
  BOOST_TEST(Occurrences(esp.output, "0x") == 5u, esp.output);
}

BOOST_AUTO_TEST_SUITE_END()
