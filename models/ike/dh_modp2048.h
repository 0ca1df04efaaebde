// Diffie-Hellman for IKE_SA_INIT: the 2048-bit MODP group, IKEv2 transform
// D-H group 14 (RFC 3526 §3).
//
// Why group 14: Libreswan's default IKEv2 proposal list (used when ike= names
// no group, as with OVN's ike=aes_gcm256-sha2_256) includes MODP2048 next to
// MODP3072/4096/8192 and DH19-21/31, so a Libreswan peer accepts it; it is
// also the cheapest of those finite-field groups, which matters when a whole
// mesh rekeys at once.
#pragma once

#include <cryptopp/cryptlib.h>

#include <optional>

#include "bytes.h"

namespace ipsecsim::ike {

constexpr uint16_t kModp2048Group = 14;
constexpr size_t kModp2048Len = 256;  // public values and g^ir, big-endian, zero-padded

// The RFC 3526 prime p (generator 2), big-endian.
const Bytes& Modp2048Prime();

class Modp2048KeyPair {
 public:
  static Modp2048KeyPair Generate(CryptoPP::RandomNumberGenerator& rng);
  // A fixed private exponent (big-endian), for known-answer tests.
  static Modp2048KeyPair FromPrivateExponent(const Bytes& exponent);
  // Modelled crypto (modelled_crypto.h, no security value): the same draw
  // from `rng`, but the public value and g^ir are SHA-256 expansions, not
  // exponentiations. Only another modelled pair agrees with it.
  static Modp2048KeyPair GenerateModelled(CryptoPP::RandomNumberGenerator& rng);

  // g^x mod p, 256 bytes: the KE payload's key exchange data.
  const Bytes& PublicValue() const { return public_; }

  // g^ir, 256 bytes. nullopt when the peer's value is not 256 bytes or lies
  // outside [2, p-2] (RFC 7296 §5: a degenerate value would fix the secret).
  std::optional<Bytes> SharedSecret(const Bytes& peerPublic) const;

 private:
  Bytes private_;  // exponent, zero-padded to the DH object's private key length
  Bytes public_;
  bool modelled_ = false;
};

}  // namespace ipsecsim::ike
