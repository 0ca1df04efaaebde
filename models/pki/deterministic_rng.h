// Deterministic random numbers for the certificate model.
//
// Every random choice in ipsecsim's PKI (RSA primes, serial numbers, RSA
// blinding) comes from a DeterministicRng: AES-256 in OFB mode, keyed with
// SHA-256("ipsecsim-pki" || seed as 8 big-endian bytes || label) and a zero IV.
// A label names one purpose, e.g. "node-key/worker-1/2" for the second key of
// worker-1, so the same scenario seed always yields byte-identical keys and
// certificates, and adding a node or an event does not shift the numbers drawn
// for the others.
#pragma once

#include <cryptopp/aes.h>
#include <cryptopp/modes.h>

#include <cstdint>
#include <string_view>

namespace ipsecsim::pki {

class DeterministicRng : public CryptoPP::RandomNumberGenerator {
 public:
  DeterministicRng(uint64_t seed, std::string_view label);
  void GenerateBlock(CryptoPP::byte* output, size_t size) override;

 private:
  CryptoPP::OFB_Mode<CryptoPP::AES>::Encryption stream_;
};

}  // namespace ipsecsim::pki
