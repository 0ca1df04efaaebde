#include "modelled_crypto.h"

#include <cryptopp/sha.h>

namespace ipsecsim::ike::modelled {
namespace {

Bytes Encode(const CryptoPP::Integer& n) {
  Bytes out(n.MinEncodedSize());
  n.Encode(out.data(), out.size());
  return out;
}

// What both halves of an RSA key pair know: the public key, hashed.
Bytes PublicKeyDigest(const CryptoPP::RSAFunction& key) {
  Bytes material = Encode(key.GetModulus());
  const Bytes exponent = Encode(key.GetPublicExponent());
  material.insert(material.end(), exponent.begin(), exponent.end());
  return Expand("ipsecsim modelled AUTH key", material, CryptoPP::SHA256::DIGESTSIZE);
}

Bytes Signature(const CryptoPP::RSAFunction& key, const Bytes& signedOctets) {
  Bytes input = PublicKeyDigest(key);
  input.insert(input.end(), signedOctets.begin(), signedOctets.end());
  return Expand("ipsecsim modelled AUTH", input, key.GetModulus().ByteCount());
}

}  // namespace

Bytes Expand(const std::string& label, const Bytes& input, size_t len) {
  uint8_t inputDigest[CryptoPP::SHA256::DIGESTSIZE];
  CryptoPP::SHA256().CalculateDigest(inputDigest, input.data(), input.size());
  Bytes out;
  out.reserve(len + CryptoPP::SHA256::DIGESTSIZE);
  for (uint32_t counter = 1; out.size() < len; ++counter) {
    CryptoPP::SHA256 sha;
    sha.Update(reinterpret_cast<const uint8_t*>(label.data()), label.size() + 1);  // with NUL
    uint8_t c[4];
    PutU32(c, counter);
    sha.Update(c, sizeof c);
    sha.Update(inputDigest, sizeof inputDigest);
    uint8_t digest[CryptoPP::SHA256::DIGESTSIZE];
    sha.Final(digest);
    out.insert(out.end(), digest, digest + sizeof digest);
  }
  out.resize(len);
  return out;
}

AuthPayload SignAuth(const CryptoPP::RSA::PrivateKey& key, const Bytes& signedOctets) {
  return AuthPayload{kAuthMethodRsaSignature, Signature(key, signedOctets)};
}

bool VerifyAuth(const CryptoPP::RSA::PublicKey& key, const Bytes& signedOctets,
                const AuthPayload& auth) {
  return auth.method == kAuthMethodRsaSignature && auth.data == Signature(key, signedOctets);
}

}  // namespace ipsecsim::ike::modelled
