// IKE SA keys and Child SA KEYMAT (RFC 7296 §2.14, §2.17) for the suite
// ipsecsim negotiates: ENCR_AES_GCM_16-256 (no integrity transform, so no
// SK_a*) with PRF_HMAC_SHA2_256.
#pragma once

#include <cstdint>

#include "bytes.h"

namespace ipsecsim::ike {

constexpr size_t kSkDLen = 32;        // prf output size
constexpr size_t kSkELen = 36;        // AES-256 key || 4-byte salt
constexpr size_t kSkPLen = 32;        // prf output size
constexpr size_t kEspKeymatLen = 36;  // AES-256 key || salt, as models/esp takes it

struct IkeSaKeys {
  Bytes skeyseed;
  Bytes skD;
  Bytes skEi;  // SK_ai and SK_ar are empty for AEAD and not stored
  Bytes skEr;
  Bytes skPi;
  Bytes skPr;
};

// SKEYSEED = prf(Ni | Nr, g^ir)
Bytes ComputeSkeyseed(const Bytes& nonceI, const Bytes& nonceR, const Bytes& sharedSecret);

// {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
//   = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
IkeSaKeys DeriveIkeSaKeys(const Bytes& nonceI, const Bytes& nonceR, const Bytes& sharedSecret,
                          uint64_t spiI, uint64_t spiR);

struct ChildSaKeymat {
  Bytes initiatorToResponder;  // for the ESP SA whose SPI the responder chose
  Bytes responderToInitiator;  // for the ESP SA whose SPI the initiator chose
};

// KEYMAT = prf+(SK_d, Ni | Nr) for a Child SA made in IKE_AUTH or by a
// CREATE_CHILD_SA without KE; the initiator-to-responder key comes first.
ChildSaKeymat DeriveChildSaKeymat(const Bytes& skD, const Bytes& nonceI, const Bytes& nonceR);
// KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr) for a CREATE_CHILD_SA with KE
// (PFS, RFC 7296 §2.17); an empty secret gives the form above.
ChildSaKeymat DeriveChildSaKeymat(const Bytes& skD, const Bytes& newSharedSecret,
                                  const Bytes& nonceI, const Bytes& nonceR);

// The keys of an IKE SA made by rekeying (RFC 7296 §2.18):
// SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), then as DeriveIkeSaKeys
// with the new SPIs.
IkeSaKeys DeriveRekeyedIkeSaKeys(const Bytes& oldSkD, const Bytes& nonceI, const Bytes& nonceR,
                                 const Bytes& sharedSecret, uint64_t spiI, uint64_t spiR);

}  // namespace ipsecsim::ike
