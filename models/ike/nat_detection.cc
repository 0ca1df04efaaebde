#include "nat_detection.h"

#include <cryptopp/sha.h>

namespace ipsecsim::ike {

Bytes NatDetectionHash(uint64_t spiI, uint64_t spiR, uint32_t ipv4, uint16_t port) {
  Bytes input(8 + 8 + 4 + 2);
  PutU64(input.data(), spiI);
  PutU64(input.data() + 8, spiR);
  PutU32(input.data() + 16, ipv4);
  input[20] = uint8_t(port >> 8);
  input[21] = uint8_t(port);
  Bytes digest(CryptoPP::SHA1::DIGESTSIZE);
  CryptoPP::SHA1().CalculateDigest(digest.data(), input.data(), input.size());
  return digest;
}

}  // namespace ipsecsim::ike
