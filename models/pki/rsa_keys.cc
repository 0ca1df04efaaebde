#include "rsa_keys.h"

#include <cryptopp/argnames.h>
#include <cryptopp/pssr.h>
#include <cryptopp/queue.h>
#include <cryptopp/sha.h>

#include <map>
#include <mutex>

#include "deterministic_rng.h"
#include "x509_encoding.h"

namespace ipsecsim::pki {

namespace {

using Signer = CryptoPP::RSASS<CryptoPP::PKCS1v15, CryptoPP::SHA256>::Signer;
using Verifier = CryptoPP::RSASS<CryptoPP::PKCS1v15, CryptoPP::SHA256>::Verifier;

}  // namespace

CryptoPP::RSA::PrivateKey DeterministicRsaKey(uint64_t seed, std::string_view label) {
  static std::mutex mutex;
  static std::map<std::pair<uint64_t, std::string>, CryptoPP::RSA::PrivateKey> cache;
  const auto id = std::make_pair(seed, std::string(label));
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(id);
    if (it != cache.end()) return it->second;
  }
  DeterministicRng rng(seed, "rsa-key/" + std::string(label));
  CryptoPP::RSA::PrivateKey key;
  key.GenerateRandom(rng, CryptoPP::MakeParameters(CryptoPP::Name::ModulusSize(), int(kRsaBits))(
                              CryptoPP::Name::PublicExponent(), CryptoPP::Integer(65537)));
  std::lock_guard<std::mutex> lock(mutex);
  return cache.emplace(id, key).first->second;
}

namespace {
// RSA::PrivateKey derives from RSA::PublicKey and overrides DEREncode, so a
// private key passed as a PublicKey& would encode itself; copy out the public
// half first.
CryptoPP::RSA::PublicKey PublicHalf(const CryptoPP::RSA::PublicKey& key) {
  CryptoPP::RSA::PublicKey pub;
  pub.Initialize(key.GetModulus(), key.GetPublicExponent());
  return pub;
}
}  // namespace

Bytes EncodePublicKeyInfo(const CryptoPP::RSA::PublicKey& key) {
  CryptoPP::ByteQueue queue;
  PublicHalf(key).DEREncode(queue);
  return TakeAll(queue);
}

Bytes EncodePrivateKeyInfo(const CryptoPP::RSA::PrivateKey& key) {
  CryptoPP::ByteQueue queue;
  key.DEREncode(queue);
  return TakeAll(queue);
}

Bytes KeyIdentifier(const CryptoPP::RSA::PublicKey& key) {
  // subjectPublicKey is the PKCS#1 RSAPublicKey; hash it, not the whole SPKI.
  CryptoPP::ByteQueue queue;
  PublicHalf(key).DEREncodePublicKey(queue);
  const Bytes rsaPublicKey = TakeAll(queue);
  Bytes digest(CryptoPP::SHA1::DIGESTSIZE);
  CryptoPP::SHA1().CalculateDigest(digest.data(), rsaPublicKey.data(), rsaPublicKey.size());
  return digest;
}

Bytes SignSha256(const CryptoPP::RSA::PrivateKey& key, const Bytes& message) {
  // PKCS#1 v1.5 signatures are deterministic; the RNG only blinds the
  // private-key operation, so any fixed seed gives the same bytes.
  DeterministicRng blinding(0, "rsa-blinding");
  Signer signer(key);
  Bytes signature(signer.MaxSignatureLength());
  signature.resize(signer.SignMessage(blinding, message.data(), message.size(), signature.data()));
  return signature;
}

bool VerifySha256(const CryptoPP::RSA::PublicKey& key, const Bytes& message,
                  const Bytes& signature) {
  try {
    const CryptoPP::Integer& n = key.GetModulus();
    if (n.BitCount() < 512 || n.BitCount() > 16384 || n.IsEven()) return false;
    const CryptoPP::Integer& e = key.GetPublicExponent();
    if (e < 3 || e.IsEven() || e >= n) return false;
    Verifier verifier(key);
    if (signature.size() != verifier.SignatureLength()) return false;
    return verifier.VerifyMessage(message.data(), message.size(), signature.data(),
                                  signature.size());
  } catch (const CryptoPP::Exception&) {
    return false;
  }
}

}  // namespace ipsecsim::pki
