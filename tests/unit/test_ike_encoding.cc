// IKEv2 wire encoding: round trips of the messages of every exchange,
// byte-level checks of fixed fields, SK sealing checked against Python's
// `cryptography` AESGCM, and malformed input (every truncation, random byte
// flips, targeted corruptions) that must give a precise error, never a crash.
#include <boost/test/unit_test.hpp>
#include <random>

#include "encrypted_payload.h"
#include "test_ike_support.h"

using namespace iketest;

namespace {

const Bytes kSkEi = Filled(36, 0x21);

std::unique_ptr<SkCipher> Cipher(const Bytes& keymat) {
  std::string error;
  auto c = SkCipher::FromKeymat(keymat, &error);
  BOOST_REQUIRE_MESSAGE(c, error);
  return c;
}

Bytes SealedAuthRequest() {
  return Cipher(kSkEi)->Seal(Header(ExchangeType::kIkeAuth, 1, false), {}, AuthRequestInner(),
                             0x0000000000000001ULL);
}

std::vector<Bytes> AllSampleMessages() {
  return {
      EncodeMessage(SaInitRequest()), SealedAuthRequest(),
      Cipher(kSkEi)->Seal(Header(ExchangeType::kCreateChildSa, 2, false), {}, CreateChildInner(),
                          2),
      Cipher(kSkEi)->Seal(Header(ExchangeType::kInformational, 3, false), {}, DeleteInner(), 3)};
}

// Encodes the parsed payloads again: a lossless parser gives the same bytes.
Bytes Reencode(const IkeMessage& m) { return EncodeMessage(m); }

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_encoding)

BOOST_AUTO_TEST_CASE(sa_init_round_trip_and_fixed_fields) {
  const Bytes wire = EncodeMessage(SaInitRequest());
  // RFC 7296 §3.1: SPIs, next payload SA (33), version 0x20, exchange 34,
  // Initiator flag, message ID 0, length = datagram.
  BOOST_TEST(ToHex(Bytes(wire.begin(), wire.begin() + 28)) ==
             "0102030405060708000000000000000021202208000000000000" +
                 ToHex(Bytes{uint8_t(wire.size() >> 8), uint8_t(wire.size())}));
  // First proposal: last, length, #1, IKE, no SPI, 3 transforms; first
  // transform ENCR 20 with the key length attribute 0x800e 0x0100.
  const size_t sa = 28 + 4;
  BOOST_TEST(ToHex(Bytes(wire.begin() + sa, wire.begin() + sa + 8)).substr(0, 4) == "0000");
  BOOST_TEST(ToHex(Bytes(wire.begin() + sa + 4, wire.begin() + sa + 8)) == "01010003");
  BOOST_TEST(ToHex(Bytes(wire.begin() + sa + 8, wire.begin() + sa + 20)) ==
             "0300000c01000014800e0100");

  auto parsed = ParseMessage(wire);
  BOOST_REQUIRE_MESSAGE(parsed.Ok(), parsed.Error().ToString());
  const IkeMessage& m = parsed.Value();
  BOOST_TEST(m.header.exchange == ExchangeType::kIkeSaInit);
  BOOST_TEST(m.header.FromInitiator());
  BOOST_REQUIRE_EQUAL(m.payloads.size(), 5u);
  auto* sa0 = BodyOf<SaPayload>(FindPayload(m.payloads, PayloadType::kSa));
  BOOST_REQUIRE(sa0);
  BOOST_REQUIRE_EQUAL(sa0->proposals.at(0).transforms.size(), 3u);
  BOOST_TEST(sa0->proposals[0].transforms[0].id == transform_id::kEncrAesGcm16);
  BOOST_TEST(sa0->proposals[0].transforms[0].KeyLength().value_or(0) == 256);
  BOOST_TEST(!sa0->proposals[0].transforms[1].KeyLength().has_value());
  BOOST_TEST(BodyOf<KePayload>(FindPayload(m.payloads, PayloadType::kKe))->dhGroup == 14);
  auto* natSrc = FindNotify(m.payloads, NotifyType::kNatDetectionSourceIp);
  BOOST_REQUIRE(natSrc);
  BOOST_TEST(natSrc->data == Filled(20, 0x90));
  BOOST_TEST(FindNotify(m.payloads, NotifyType::kNatDetectionDestinationIp));
  BOOST_TEST(Reencode(m) == wire);
}

BOOST_AUTO_TEST_CASE(every_exchange_round_trips_through_sk) {
  struct Case {
    ExchangeType exchange;
    std::vector<Payload> inner;
  };
  const std::vector<Case> cases = {{ExchangeType::kIkeAuth, AuthRequestInner()},
                                   {ExchangeType::kCreateChildSa, CreateChildInner()},
                                   {ExchangeType::kInformational, DeleteInner()}};
  uint64_t iv = 100;
  for (const auto& c : cases) {
    const Bytes wire = Cipher(kSkEi)->Seal(Header(c.exchange, 5, true), {}, c.inner, ++iv);
    auto parsed = ParseMessage(wire);
    BOOST_REQUIRE_MESSAGE(parsed.Ok(), parsed.Error().ToString());
    BOOST_TEST(parsed.Value().header.IsResponse());
    BOOST_TEST(parsed.Value().header.messageId == 5u);
    BOOST_REQUIRE_EQUAL(parsed.Value().payloads.size(), 1u);
    auto* sk = BodyOf<EncryptedPayload>(&parsed.Value().payloads[0]);
    BOOST_REQUIRE(sk);
    BOOST_TEST(sk->firstInner == c.inner.front().type);
    auto inner = Cipher(kSkEi)->Open(wire, *sk);
    BOOST_REQUIRE_MESSAGE(inner.Ok(), inner.Error().ToString());
    BOOST_REQUIRE_EQUAL(inner.Value().size(), c.inner.size());
    Bytes expected, actual;
    EncodePayloadChain(c.inner, &expected);
    EncodePayloadChain(inner.Value(), &actual);
    BOOST_TEST(actual == expected);
    BOOST_TEST(Reencode(parsed.Value()) == wire);
  }
}

BOOST_AUTO_TEST_CASE(auth_inner_payload_fields) {
  const Bytes wire = SealedAuthRequest();
  auto parsed = ParseMessage(wire);
  BOOST_REQUIRE(parsed.Ok());
  auto inner = Cipher(kSkEi)->Open(wire, *BodyOf<EncryptedPayload>(&parsed.Value().payloads[0]));
  BOOST_REQUIRE_MESSAGE(inner.Ok(), inner.Error().ToString());
  const auto& p = inner.Value();
  auto* idi = BodyOf<IdPayload>(FindPayload(p, PayloadType::kIdi));
  BOOST_REQUIRE(idi);
  BOOST_TEST(int(idi->idType) == 2);
  BOOST_TEST(IdDataString(*idi) == "node-a-system-id");
  BOOST_TEST(IdDataString(*BodyOf<IdPayload>(FindPayload(p, PayloadType::kIdr))) ==
             "node-b-system-id");
  BOOST_TEST(BodyOf<CertPayload>(FindPayload(p, PayloadType::kCert))->encoding == 4);
  BOOST_TEST(BodyOf<AuthPayload>(FindPayload(p, PayloadType::kAuth))->method == 1);
  BOOST_TEST(FindNotify(p, NotifyType::kUseTransportMode));
  auto* esp = BodyOf<SaPayload>(FindPayload(p, PayloadType::kSa));
  BOOST_REQUIRE(esp);
  BOOST_TEST(ToHex(esp->proposals.at(0).spi) == "c0ffee01");
  BOOST_TEST(esp->proposals[0].transforms.at(1).type == TransformType::kEsn);
  auto* tsr = BodyOf<TsPayload>(FindPayload(p, PayloadType::kTsr));
  BOOST_REQUIRE(tsr);
  BOOST_TEST(tsr->selectors.at(0).startPort == 6081);
  BOOST_TEST(tsr->selectors.at(0).endPort == 6081);
  BOOST_TEST(tsr->selectors.at(0).ipProtocol == 17);
  BOOST_TEST(tsr->selectors.at(0).startAddress.V4Value() == 0x0a000002u);
}

BOOST_AUTO_TEST_CASE(sk_payload_decrypts_with_python_aesgcm) {
  // Independent oracle: Python's cryptography AESGCM with nonce = salt | IV
  // and AAD = IKE header + SK generic header must open what SkCipher sealed.
  const Bytes wire = SealedAuthRequest();
  auto parsed = ParseMessage(wire);
  BOOST_REQUIRE(parsed.Ok());
  const auto* sk = BodyOf<EncryptedPayload>(&parsed.Value().payloads[0]);
  BOOST_TEST(sk->aadLength == 32u);
  const std::string script = R"(
import sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
msg = bytes.fromhex(sys.argv[1]); keymat = bytes.fromhex(sys.argv[2])
aad = msg[:32]; iv = msg[32:40]; ct = msg[40:]
pt = AESGCM(keymat[:32]).decrypt(keymat[32:] + iv, ct, aad)
print(pt.hex())
)";
  const std::string plain = Python(script, {ToHex(wire), ToHex(kSkEi)});
  Bytes expected;
  EncodePayloadChain(AuthRequestInner(), &expected);
  expected.push_back(0);  // pad length
  BOOST_TEST(plain == ToHex(expected));
}

BOOST_AUTO_TEST_CASE(sk_tamper_and_wrong_key_fail_the_icv) {
  const Bytes wire = SealedAuthRequest();
  for (size_t at :
       {size_t(0), size_t(20), size_t(30), size_t(35), wire.size() / 2, wire.size() - 1}) {
    Bytes bad = wire;
    bad[at] ^= 0x01;
    auto parsed = ParseMessage(bad);
    if (!parsed.Ok()) continue;  // e.g. the version byte: refused before crypto
    auto* sk = BodyOf<EncryptedPayload>(&parsed.Value().payloads.back());
    BOOST_REQUIRE(sk);
    auto inner = Cipher(kSkEi)->Open(bad, *sk);
    BOOST_TEST(!inner.Ok(), "flip at " << at);
    BOOST_TEST(inner.Error().expected == "SK integrity check value");
  }
  auto parsed = ParseMessage(wire);
  auto inner =
      Cipher(Filled(36, 0x22))->Open(wire, *BodyOf<EncryptedPayload>(&parsed.Value().payloads[0]));
  BOOST_TEST(!inner.Ok());
  BOOST_TEST(inner.Error().detail.find("ICV mismatch") != std::string::npos);
  std::string error;
  BOOST_TEST(!SkCipher::FromKeymat(Filled(32, 0), &error));
  BOOST_TEST(error.find("36 bytes") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_truncation_is_a_precise_error) {
  for (const Bytes& wire : AllSampleMessages()) {
    for (size_t len = 0; len < wire.size(); ++len) {
      auto parsed = ParseMessage(wire.data(), len);
      BOOST_REQUIRE_MESSAGE(!parsed.Ok(), "truncation to " << len << " parsed");
      BOOST_TEST(parsed.Error().offset <= len);
      BOOST_TEST(!parsed.Error().expected.empty());
    }
  }
  // The header's length field is what tells a cut message from a short one.
  auto parsed = ParseMessage(EncodeMessage(SaInitRequest()).data(), 100);
  BOOST_TEST(parsed.Error().ToString().find("byte 24: expected message length") == 0);
  BOOST_TEST(ParseMessage(Bytes(10)).Error().ToString() ==
             "byte 8: expected responder SPI: truncated: needs 8 bytes, 2 left");
}

BOOST_AUTO_TEST_CASE(truncated_inner_chains_are_precise_errors) {
  // Cut the plaintext chain at every length and seal it: the ICV is valid,
  // so only the inner parser can notice, and it must.
  Bytes chain;
  const PayloadType first = EncodePayloadChain(AuthRequestInner(), &chain);
  for (size_t len = 0; len < chain.size(); ++len) {
    auto parsed = ParsePayloadChain(chain.data(), len, 40, first, false);
    BOOST_REQUIRE_MESSAGE(!parsed.Ok(), "inner chain cut to " << len << " parsed");
    BOOST_TEST(parsed.Error().offset >= 40u);
    BOOST_TEST(parsed.Error().offset <= 40 + len);
  }
}

BOOST_AUTO_TEST_CASE(random_flips_never_crash) {
  std::mt19937 rng(20260101);
  size_t refused = 0, accepted = 0;
  for (const Bytes& wire : AllSampleMessages()) {
    for (int trial = 0; trial < 3000; ++trial) {
      Bytes bad = wire;
      const int flips = 1 + int(rng() % 4);
      for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
      auto parsed = ParseMessage(bad);
      if (!parsed.Ok()) {
        ++refused;
        BOOST_TEST(parsed.Error().offset <= bad.size());
        continue;
      }
      ++accepted;
      // Reserved bits are ignored on receipt (RFC 7296 §3), so a parsed
      // message re-encodes to a canonical form that parses to itself; an SK
      // payload whose message was altered must not open.
      const Bytes canonical = Reencode(parsed.Value());
      auto again = ParseMessage(canonical);
      BOOST_REQUIRE(again.Ok());
      BOOST_TEST(Reencode(again.Value()) == canonical);
      if (auto* sk = BodyOf<EncryptedPayload>(&parsed.Value().payloads.back()))
        BOOST_TEST(!Cipher(kSkEi)->Open(bad, *sk).Ok());
    }
  }
  BOOST_TEST(refused > 0u);
  BOOST_TEST(accepted > 0u);
}

BOOST_AUTO_TEST_CASE(targeted_corruptions_name_the_field) {
  const Bytes wire = EncodeMessage(SaInitRequest());
  auto errorOf = [](Bytes b) { return ParseMessage(b).Error().ToString(); };

  Bytes v1 = wire;
  v1[17] = 0x10;
  BOOST_TEST(errorOf(v1) == "byte 17: expected major version 2: version byte 0x10");

  Bytes lastMore = wire;
  lastMore[32] = 1;  // first proposal's last/more
  BOOST_TEST(errorOf(lastMore) == "byte 32: expected proposal last/more: value 1, must be 0 or 2");

  Bytes critical = wire;
  critical[16] = 200;   // first payload type unknown...
  critical[29] = 0x80;  // ...and critical
  BOOST_TEST(errorOf(critical) ==
             "byte 28: expected a payload ipsecsim understands: unsupported critical payload "
             "type 200");

  Bytes unknownNonCritical = wire;
  unknownNonCritical[16] = 200;
  auto parsed = ParseMessage(unknownNonCritical);
  BOOST_REQUIRE_MESSAGE(parsed.Ok(), parsed.Error().ToString());
  BOOST_TEST(std::holds_alternative<OpaquePayload>(parsed.Value().payloads[0].body));

  IkeMessage shortNonce = SaInitRequest();
  std::get<NoncePayload>(shortNonce.payloads[2].body).nonce = Filled(8, 0);
  const std::string nonceError = errorOf(EncodeMessage(shortNonce));
  BOOST_TEST(nonceError.find("expected Nonce data of 16 to 256 bytes: 8 bytes present") !=
             std::string::npos);

  IkeMessage ts;
  ts.header = Header(ExchangeType::kCreateChildSa, 2, false);
  ts.payloads.push_back(Payload{PayloadType::kTsi, false, TsPayload{{TrafficSelector{}}}});
  Bytes unknownTsType = EncodeMessage(ts);
  unknownTsType[36] = 9;  // the first selector's TS type
  BOOST_TEST(errorOf(unknownTsType) ==
             "byte 36: expected TS type 7 (TS_IPV4_ADDR_RANGE) or 8 (TS_IPV6_ADDR_RANGE): type 9 "
             "is not supported");

  IkeMessage badDelete;
  badDelete.header = Header(ExchangeType::kInformational, 2, false);
  DeletePayload d;
  d.spis = {Bytes{1, 2, 3}};  // 3 bytes where SPI size says 4
  badDelete.payloads.push_back(Payload{PayloadType::kDelete, false, d});
  BOOST_TEST(errorOf(EncodeMessage(badDelete)) ==
             "byte 36: expected Delete SPIs: 1 SPIs of 4 bytes declared, 3 bytes present");
}

BOOST_AUTO_TEST_CASE(notify_error_types_round_trip) {
  for (NotifyType type : {NotifyType::kNoProposalChosen, NotifyType::kAuthenticationFailed,
                          NotifyType::kInvalidKePayload, NotifyType::kTsUnacceptable}) {
    IkeMessage m;
    m.header = Header(ExchangeType::kIkeSaInit, 0, true);
    m.payloads.push_back(
        MakeNotify(type, type == NotifyType::kInvalidKePayload ? Bytes{0x00, 0x0e} : Bytes{}));
    const Bytes wire = EncodeMessage(m);
    BOOST_TEST(GetU32(wire.data() + 28 + 4) == uint32_t(type));  // proto 0, SPI size 0, type
    auto parsed = ParseMessage(wire);
    BOOST_REQUIRE(parsed.Ok());
    BOOST_TEST(FindNotify(parsed.Value().payloads, type));
  }
}

BOOST_AUTO_TEST_SUITE_END()
