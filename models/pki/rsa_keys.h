// RSA-2048 keys for the operator's CA and the nodes.
#pragma once

#include <cryptopp/rsa.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "bytes.h"

namespace ipsecsim::pki {

constexpr unsigned kRsaBits = 2048;

// A 2048-bit key with e = 65537 drawn from DeterministicRng(seed, label).
// Generation takes tens to hundreds of milliseconds, so keys are memoised per
// (seed, label) for the life of the process: the result is a pure function of
// both, so sharing it between test cases or scenario runs changes nothing.
CryptoPP::RSA::PrivateKey DeterministicRsaKey(uint64_t seed, std::string_view label);

// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), DER.
Bytes EncodePublicKeyInfo(const CryptoPP::RSA::PublicKey& key);
// PKCS#8 PrivateKeyInfo, DER (PEM label "PRIVATE KEY").
Bytes EncodePrivateKeyInfo(const CryptoPP::RSA::PrivateKey& key);
// Key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1).
Bytes KeyIdentifier(const CryptoPP::RSA::PublicKey& key);

// PKCS#1 v1.5 signature with SHA-256 (sha256WithRSAEncryption).
Bytes SignSha256(const CryptoPP::RSA::PrivateKey& key, const Bytes& message);
// Never throws: a malformed key or signature is simply "false".
bool VerifySha256(const CryptoPP::RSA::PublicKey& key, const Bytes& message,
                  const Bytes& signature);

}  // namespace ipsecsim::pki
