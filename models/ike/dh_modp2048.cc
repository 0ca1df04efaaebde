#include "dh_modp2048.h"

#include <cryptopp/dh.h>
#include <cryptopp/integer.h>

#include <algorithm>

#include "modelled_crypto.h"

namespace ipsecsim::ike {

namespace {

const char* const kPrimeHex =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
    "3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";

CryptoPP::DH Group14() {
  const Bytes& pBytes = Modp2048Prime();
  const CryptoPP::Integer p(pBytes.data(), pBytes.size());
  CryptoPP::DH dh;
  // q = (p-1)/2: the RFC 3526 primes are safe primes and 2 generates the
  // order-q subgroup.
  dh.AccessGroupParameters().Initialize(p, (p - 1) >> 1, CryptoPP::Integer::Two());
  return dh;
}

}  // namespace

const Bytes& Modp2048Prime() {
  static const Bytes prime = *ParseHex(kPrimeHex);
  return prime;
}

namespace {

// A 256-bit exponent in [2^255, 2^256): far above the group's ~110-bit
// strength and an order of magnitude cheaper than a full-size one.
Bytes DrawExponent(CryptoPP::RandomNumberGenerator& rng) {
  CryptoPP::Integer x(rng, 256);
  x.SetBit(255);
  Bytes exponent(32);
  x.Encode(exponent.data(), exponent.size());
  return exponent;
}

// 2 <= v <= p-2 for a 256-byte big-endian value.
bool InRange(const Bytes& v) {
  Bytes pMinus2 = Modp2048Prime();
  pMinus2.back() -= 2;  // p ends in 0xFF
  const bool atLeastTwo =
      std::any_of(v.begin(), v.end() - 1, [](uint8_t b) { return b != 0; }) || v.back() >= 2;
  return v.size() == kModp2048Len && atLeastTwo && v <= pMinus2;
}

}  // namespace

Modp2048KeyPair Modp2048KeyPair::Generate(CryptoPP::RandomNumberGenerator& rng) {
  return FromPrivateExponent(DrawExponent(rng));
}

Modp2048KeyPair Modp2048KeyPair::GenerateModelled(CryptoPP::RandomNumberGenerator& rng) {
  Modp2048KeyPair pair;
  pair.modelled_ = true;
  pair.private_ = DrawExponent(rng);
  Bytes h = modelled::Expand("ipsecsim modelled g^x", pair.private_, kModp2048Len);
  h[0] &= 0x7f;  // below p; a square of h (not 0 or +-1) is in the order-q subgroup
  h.back() |= 2;
  const Bytes& pBytes = Modp2048Prime();
  const CryptoPP::Integer p(pBytes.data(), pBytes.size()), x(h.data(), h.size());
  pair.public_ = Bytes(kModp2048Len);
  // One modular squaring, not an exponentiation: a real peer accepts the
  // value (and derives another secret).
  (x.Squared() % p).Encode(pair.public_.data(), pair.public_.size());
  return pair;
}

Modp2048KeyPair Modp2048KeyPair::FromPrivateExponent(const Bytes& exponent) {
  const CryptoPP::DH dh = Group14();
  Modp2048KeyPair pair;
  pair.private_ = Bytes(dh.PrivateKeyLength());
  CryptoPP::Integer(exponent.data(), exponent.size())
      .Encode(pair.private_.data(), pair.private_.size());
  pair.public_ = Bytes(dh.PublicKeyLength());
  // The public value is a pure function of the exponent: no randomness used.
  dh.GeneratePublicKey(CryptoPP::NullRNG(), pair.private_.data(), pair.public_.data());
  return pair;
}

std::optional<Bytes> Modp2048KeyPair::SharedSecret(const Bytes& peerPublic) const {
  if (modelled_) {
    if (peerPublic.size() != kModp2048Len || !InRange(peerPublic)) return std::nullopt;
    Bytes both = std::min(public_, peerPublic);
    const Bytes& high = std::max(public_, peerPublic);
    both.insert(both.end(), high.begin(), high.end());
    return modelled::Expand("ipsecsim modelled g^ir", both, kModp2048Len);
  }
  const CryptoPP::DH dh = Group14();
  if (peerPublic.size() != dh.PublicKeyLength()) return std::nullopt;
  // Agree's validation refuses values outside [2, p-2] (RFC 7296 §5: a
  // degenerate value would fix the secret).
  Bytes secret(dh.AgreedValueLength());
  if (!dh.Agree(secret.data(), private_.data(), peerPublic.data(), true)) return std::nullopt;
  return secret;
}

}  // namespace ipsecsim::ike
