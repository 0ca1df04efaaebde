#include "deterministic_rng.h"

#include <cryptopp/sha.h>

#include <cstring>
#include <vector>

namespace ipsecsim::pki {

DeterministicRng::DeterministicRng(uint64_t seed, std::string_view label) {
  static constexpr char kDomain[] = "ipsecsim-pki";
  CryptoPP::SHA256 hash;
  hash.Update(reinterpret_cast<const CryptoPP::byte*>(kDomain), sizeof(kDomain) - 1);
  CryptoPP::byte seedBytes[8];
  for (int i = 0; i < 8; ++i) seedBytes[i] = CryptoPP::byte(seed >> (56 - 8 * i));
  hash.Update(seedBytes, sizeof(seedBytes));
  hash.Update(reinterpret_cast<const CryptoPP::byte*>(label.data()), label.size());
  CryptoPP::byte key[CryptoPP::SHA256::DIGESTSIZE];
  hash.Final(key);
  CryptoPP::byte iv[CryptoPP::AES::BLOCKSIZE] = {};
  stream_.SetKeyWithIV(key, sizeof(key), iv, sizeof(iv));
}

void DeterministicRng::GenerateBlock(CryptoPP::byte* output, size_t size) {
  std::memset(output, 0, size);
  stream_.ProcessString(output, size);
}

}  // namespace ipsecsim::pki
