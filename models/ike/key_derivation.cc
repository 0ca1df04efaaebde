#include "key_derivation.h"

#include "prf.h"

namespace ipsecsim::ike {

namespace {
Bytes Concat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes Slice(const Bytes& b, size_t* pos, size_t len) {
  Bytes out(b.begin() + *pos, b.begin() + *pos + len);
  *pos += len;
  return out;
}
}  // namespace

Bytes ComputeSkeyseed(const Bytes& nonceI, const Bytes& nonceR, const Bytes& sharedSecret) {
  return PrfHmacSha256(Concat(nonceI, nonceR), sharedSecret);
}

namespace {
IkeSaKeys DeriveIkeSaKeysFromSeed(Bytes skeyseed, const Bytes& nonceI, const Bytes& nonceR,
                                  uint64_t spiI, uint64_t spiR) {
  IkeSaKeys keys;
  keys.skeyseed = std::move(skeyseed);
  Bytes spis(16);
  PutU64(spis.data(), spiI);
  PutU64(spis.data() + 8, spiR);
  const Bytes stream = PrfPlus(keys.skeyseed, Concat(Concat(nonceI, nonceR), spis),
                               kSkDLen + 2 * kSkELen + 2 * kSkPLen);
  size_t pos = 0;
  keys.skD = Slice(stream, &pos, kSkDLen);
  keys.skEi = Slice(stream, &pos, kSkELen);
  keys.skEr = Slice(stream, &pos, kSkELen);
  keys.skPi = Slice(stream, &pos, kSkPLen);
  keys.skPr = Slice(stream, &pos, kSkPLen);
  return keys;
}
}  // namespace

IkeSaKeys DeriveIkeSaKeys(const Bytes& nonceI, const Bytes& nonceR, const Bytes& sharedSecret,
                          uint64_t spiI, uint64_t spiR) {
  return DeriveIkeSaKeysFromSeed(ComputeSkeyseed(nonceI, nonceR, sharedSecret), nonceI, nonceR,
                                 spiI, spiR);
}

ChildSaKeymat DeriveChildSaKeymat(const Bytes& skD, const Bytes& nonceI, const Bytes& nonceR) {
  return DeriveChildSaKeymat(skD, Bytes{}, nonceI, nonceR);
}

ChildSaKeymat DeriveChildSaKeymat(const Bytes& skD, const Bytes& newSharedSecret,
                                  const Bytes& nonceI, const Bytes& nonceR) {
  const Bytes seed = Concat(newSharedSecret, Concat(nonceI, nonceR));
  const Bytes stream = PrfPlus(skD, seed, 2 * kEspKeymatLen);
  size_t pos = 0;
  ChildSaKeymat k;
  k.initiatorToResponder = Slice(stream, &pos, kEspKeymatLen);
  k.responderToInitiator = Slice(stream, &pos, kEspKeymatLen);
  return k;
}

IkeSaKeys DeriveRekeyedIkeSaKeys(const Bytes& oldSkD, const Bytes& nonceI, const Bytes& nonceR,
                                 const Bytes& sharedSecret, uint64_t spiI, uint64_t spiR) {
  // SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), the rest as for a new SA.
  return DeriveIkeSaKeysFromSeed(
      PrfHmacSha256(oldSkD, Concat(sharedSecret, Concat(nonceI, nonceR))), nonceI, nonceR, spiI,
      spiR);
}

}  // namespace ipsecsim::ike
