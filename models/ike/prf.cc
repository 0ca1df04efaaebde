#include "prf.h"

#include <cryptopp/hmac.h>
#include <cryptopp/sha.h>

namespace ipsecsim::ike {

Bytes PrfHmacSha256(const Bytes& key, const Bytes& data) {
  CryptoPP::HMAC<CryptoPP::SHA256> hmac(key.data(), key.size());
  Bytes out(kPrfOutputLen);
  hmac.CalculateDigest(out.data(), data.data(), data.size());
  return out;
}

Bytes PrfPlus(const Bytes& key, const Bytes& seed, size_t length) {
  if (length > 255 * kPrfOutputLen) return {};
  Bytes out;
  Bytes previous;
  for (unsigned counter = 1; out.size() < length; ++counter) {
    Bytes input = previous;
    input.insert(input.end(), seed.begin(), seed.end());
    input.push_back(uint8_t(counter));
    previous = PrfHmacSha256(key, input);
    out.insert(out.end(), previous.begin(), previous.end());
  }
  out.resize(length);
  return out;
}

}  // namespace ipsecsim::ike
