#include "nat_detection.h"

#include <cryptopp/sha.h>

namespace ipsecsim::ike {

Bytes NatDetectionHash(uint64_t spiI, uint64_t spiR, const IpAddress& ip, uint16_t port) {
  Bytes input(8 + 8);
  PutU64(input.data(), spiI);
  PutU64(input.data() + 8, spiR);
  input.insert(input.end(), ip.Data(), ip.Data() + ip.Size());
  input.push_back(uint8_t(port >> 8));
  input.push_back(uint8_t(port));
  Bytes digest(CryptoPP::SHA1::DIGESTSIZE);
  CryptoPP::SHA1().CalculateDigest(digest.data(), input.data(), input.size());
  return digest;
}

}  // namespace ipsecsim::ike
