// IKE key material against independent oracles: prf+, SKEYSEED, the IKE SA
// keys and Child SA KEYMAT recomputed by Python's `cryptography` HMAC; the
// MODP-2048 prime compared with openssl's built-in group, public values and
// g^ir recomputed with Python's pow(); AUTH signatures verified by openssl.
#include <boost/test/unit_test.hpp>

#include "auth_octets.h"
#include "deterministic_rng.h"
#include "dh_modp2048.h"
#include "key_derivation.h"
#include "payload_codec.h"
#include "prf.h"
#include "rsa_keys.h"
#include "test_ike_support.h"

using namespace iketest;

namespace {

const char* const kPythonPrf = R"(
import sys
from cryptography.hazmat.primitives import hashes, hmac

def prf(key, data):
    h = hmac.HMAC(key, hashes.SHA256()); h.update(data); return h.finalize()

def prf_plus(key, seed, n):
    out, t, i = b'', b'', 1
    while len(out) < n:
        t = prf(key, t + seed + bytes([i])); out += t; i += 1
    return out[:n]
)";

const Bytes kNi = Filled(32, 0x01);
const Bytes kNr = Filled(32, 0x81);
const Bytes kSharedSecret = Filled(256, 0x33);
constexpr uint64_t kSpiI = 0x8899aabbccddeeffULL;
constexpr uint64_t kSpiR = 0x0011223344556677ULL;

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_keys)

BOOST_AUTO_TEST_CASE(prf_plus_matches_python_hmac) {
  const std::string script = std::string(kPythonPrf) + R"(
print(prf_plus(bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]), int(sys.argv[3])).hex())
)";
  for (size_t length : {size_t(1), size_t(32), size_t(33), size_t(168), size_t(1000)}) {
    const Bytes key = Filled(20, 0x0b);
    const Bytes seed = Filled(50, 0xcd);
    BOOST_TEST(ToHex(PrfPlus(key, seed, length)) ==
               Python(script, {ToHex(key), ToHex(seed), std::to_string(length)}));
  }
  // RFC 4231 test case 2 pins the plain PRF as well.
  const std::string jefe = "Jefe", what = "what do ya want for nothing?";
  BOOST_TEST(
      ToHex(PrfHmacSha256(Bytes(jefe.begin(), jefe.end()), Bytes(what.begin(), what.end()))) ==
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  BOOST_TEST(PrfPlus(Filled(32, 0), Filled(4, 0), 255 * 32 + 1).empty());
}

BOOST_AUTO_TEST_CASE(skeyseed_and_ike_sa_keys_match_python) {
  const std::string script = std::string(kPythonPrf) + R"(
ni, nr, gir = (bytes.fromhex(a) for a in sys.argv[1:4])
spis = bytes.fromhex(sys.argv[4]) + bytes.fromhex(sys.argv[5])
skeyseed = prf(ni + nr, gir)
s = prf_plus(skeyseed, ni + nr + spis, 32 + 36 + 36 + 32 + 32)
print(skeyseed.hex(), s[0:32].hex(), s[32:68].hex(), s[68:104].hex(), s[104:136].hex(),
      s[136:168].hex())
)";
  const IkeSaKeys keys = DeriveIkeSaKeys(kNi, kNr, kSharedSecret, kSpiI, kSpiR);
  BOOST_TEST(keys.skeyseed == ComputeSkeyseed(kNi, kNr, kSharedSecret));
  BOOST_TEST(keys.skEi.size() == 36u);
  BOOST_TEST(keys.skEr.size() == 36u);
  const std::string expected = Python(script, {ToHex(kNi), ToHex(kNr), ToHex(kSharedSecret),
                                               "8899aabbccddeeff", "0011223344556677"});
  BOOST_TEST(ToHex(keys.skeyseed) + " " + ToHex(keys.skD) + " " + ToHex(keys.skEi) + " " +
                 ToHex(keys.skEr) + " " + ToHex(keys.skPi) + " " + ToHex(keys.skPr) ==
             expected);
}

BOOST_AUTO_TEST_CASE(child_sa_keymat_matches_python) {
  const std::string script = std::string(kPythonPrf) + R"(
skd, ni, nr = (bytes.fromhex(a) for a in sys.argv[1:4])
k = prf_plus(skd, ni + nr, 72)
print(k[:36].hex(), k[36:].hex())
)";
  const Bytes skD = DeriveIkeSaKeys(kNi, kNr, kSharedSecret, kSpiI, kSpiR).skD;
  const ChildSaKeymat k = DeriveChildSaKeymat(skD, kNi, kNr);
  BOOST_TEST(k.initiatorToResponder.size() == 36u);
  BOOST_TEST(ToHex(k.initiatorToResponder) + " " + ToHex(k.responderToInitiator) ==
             Python(script, {ToHex(skD), ToHex(kNi), ToHex(kNr)}));
}

// RFC 7296 §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), then
// prf+ over the new nonces and SPIs.
BOOST_AUTO_TEST_CASE(rekeyed_ike_sa_keys_match_python) {
  const std::string script = std::string(kPythonPrf) + R"(
skd, ni, nr, gir = (bytes.fromhex(a) for a in sys.argv[1:5])
spis = bytes.fromhex(sys.argv[5]) + bytes.fromhex(sys.argv[6])
skeyseed = prf(skd, gir + ni + nr)
s = prf_plus(skeyseed, ni + nr + spis, 32 + 36 + 36 + 32 + 32)
print(skeyseed.hex(), s[0:32].hex(), s[32:68].hex(), s[68:104].hex(), s[104:136].hex(),
      s[136:168].hex())
)";
  const Bytes oldSkD = DeriveIkeSaKeys(kNi, kNr, kSharedSecret, kSpiI, kSpiR).skD;
  const Bytes ni = Filled(32, 0x44), nr = Filled(32, 0x55), gir = Filled(256, 0x66);
  const IkeSaKeys keys = DeriveRekeyedIkeSaKeys(oldSkD, ni, nr, gir, kSpiR, kSpiI);
  const std::string expected = Python(script, {ToHex(oldSkD), ToHex(ni), ToHex(nr), ToHex(gir),
                                               "0011223344556677", "8899aabbccddeeff"});
  BOOST_TEST(ToHex(keys.skeyseed) + " " + ToHex(keys.skD) + " " + ToHex(keys.skEi) + " " +
                 ToHex(keys.skEr) + " " + ToHex(keys.skPi) + " " + ToHex(keys.skPr) ==
             expected);
  BOOST_TEST(keys.skD != oldSkD);
}

BOOST_AUTO_TEST_CASE(modp2048_prime_is_openssls_group) {
  const std::string dir = test::MakeTempDir("ike-dh");
  auto gen = test::RunCommand(
      "openssl genpkey -genparam -algorithm DH -pkeyopt group:modp_2048 "
      "-out " +
      dir + "/p.pem 2>&1");
  BOOST_REQUIRE_EQUAL(gen.exitCode, 0);
  const std::string script = R"(
import sys
from cryptography.hazmat.primitives.serialization import load_pem_parameters
n = load_pem_parameters(open(sys.argv[1], 'rb').read()).parameter_numbers()
print('%0512x %d' % (n.p, n.g))
)";
  BOOST_TEST(Python(script, {dir + "/p.pem"}) == ToHex(Modp2048Prime()) + " 2");
}

BOOST_AUTO_TEST_CASE(dh_values_match_python_pow) {
  const Bytes xa = Filled(32, 0x5a), xb = Filled(32, 0xa5);
  const auto a = Modp2048KeyPair::FromPrivateExponent(xa);
  const auto b = Modp2048KeyPair::FromPrivateExponent(xb);
  const std::string script = R"(
import sys
p = int(sys.argv[1], 16); xa = int(sys.argv[2], 16); xb = int(sys.argv[3], 16)
print('%0512x %0512x %0512x' % (pow(2, xa, p), pow(2, xb, p), pow(2, xa * xb, p)))
)";
  const auto ab = a.SharedSecret(b.PublicValue());
  const auto ba = b.SharedSecret(a.PublicValue());
  BOOST_REQUIRE(ab && ba);
  BOOST_TEST(*ab == *ba);
  BOOST_TEST(ToHex(a.PublicValue()) + " " + ToHex(b.PublicValue()) + " " + ToHex(*ab) ==
             Python(script, {ToHex(Modp2048Prime()), ToHex(xa), ToHex(xb)}));
}

BOOST_AUTO_TEST_CASE(dh_random_pairs_agree_and_degenerate_values_are_refused) {
  pki::DeterministicRng rngA(1, "ike-test/dh/a"), rngB(1, "ike-test/dh/b");
  const auto a = Modp2048KeyPair::Generate(rngA);
  const auto b = Modp2048KeyPair::Generate(rngB);
  BOOST_TEST(a.PublicValue() != b.PublicValue());
  BOOST_TEST(a.PublicValue().size() == 256u);
  BOOST_TEST(*a.SharedSecret(b.PublicValue()) == *b.SharedSecret(a.PublicValue()));

  Bytes one(256), pMinus1 = Modp2048Prime();
  one.back() = 1;
  pMinus1.back() -= 1;
  BOOST_TEST(!a.SharedSecret(Bytes(256)).has_value());
  BOOST_TEST(!a.SharedSecret(one).has_value());
  BOOST_TEST(!a.SharedSecret(pMinus1).has_value());
  BOOST_TEST(!a.SharedSecret(Modp2048Prime()).has_value());
  BOOST_TEST(!a.SharedSecret(Bytes(255, 7)).has_value());
}

BOOST_AUTO_TEST_CASE(auth_octets_sign_and_verify) {
  const auto key = pki::DeterministicRsaKey(1, "rsa-key/node/ike-test/1");
  const auto other = pki::DeterministicRsaKey(1, "rsa-key/node/ike-test-other/1");
  const Bytes saInit = EncodeMessage(SaInitRequest());
  const Bytes skPi = Filled(32, 0x77);
  const IdPayload id = std::get<IdPayload>(MakeFqdnId(PayloadType::kIdi, "@node-a").body);

  // RFC 7296 §2.15 layout: message | peer nonce | prf(SK_pi, 02 000000 "node-a").
  const Bytes octets = AuthSignedOctets(saInit, kNr, skPi, id);
  const std::string script = std::string(kPythonPrf) + R"(
print(prf(bytes.fromhex(sys.argv[1]), bytes.fromhex('02000000') + b'node-a').hex())
)";
  BOOST_TEST(ToHex(octets) == ToHex(saInit) + ToHex(kNr) + Python(script, {ToHex(skPi)}));

  const AuthPayload auth = SignAuth(key, octets);
  BOOST_TEST(auth.method == 1);
  BOOST_TEST(auth.data.size() == 256u);
  BOOST_TEST(VerifyAuth(CryptoPP::RSA::PublicKey(key), octets, auth));
  BOOST_TEST(!VerifyAuth(CryptoPP::RSA::PublicKey(other), octets, auth));
  Bytes altered = octets;
  altered.back() ^= 1;
  BOOST_TEST(!VerifyAuth(CryptoPP::RSA::PublicKey(key), altered, auth));
  AuthPayload wrongMethod = auth;
  wrongMethod.method = 2;
  BOOST_TEST(!VerifyAuth(CryptoPP::RSA::PublicKey(key), octets, wrongMethod));
  BOOST_TEST(!VerifyAuth(CryptoPP::RSA::PublicKey(key), octets, AuthPayload{1, Bytes(3, 0)}));

  // Independent check: openssl verifies the PKCS#1 v1.5 SHA-256 signature.
  const std::string dir = test::MakeTempDir("ike-auth");
  WriteBytes(dir + "/pub.der", pki::EncodePublicKeyInfo(CryptoPP::RSA::PublicKey(key)));
  WriteBytes(dir + "/octets.bin", octets);
  WriteBytes(dir + "/sig.bin", auth.data);
  auto r = test::RunCommand("openssl dgst -sha256 -verify " + dir + "/pub.der -keyform DER " +
                            "-signature " + dir + "/sig.bin " + dir + "/octets.bin 2>&1");
  BOOST_TEST(r.exitCode == 0);
  BOOST_TEST(r.output.find("Verified OK") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
