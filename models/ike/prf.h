// PRF_HMAC_SHA2_256 and prf+ (RFC 7296 §2.13, RFC 4868).
#pragma once

#include "bytes.h"

namespace ipsecsim::ike {

constexpr size_t kPrfOutputLen = 32;

Bytes PrfHmacSha256(const Bytes& key, const Bytes& data);

// prf+(K, S) = T1 | T2 | ... with T1 = prf(K, S | 0x01),
// Tn = prf(K, Tn-1 | S | n); returns the first `length` bytes.
// At most 255 blocks (8160 bytes) exist; a longer request returns empty.
Bytes PrfPlus(const Bytes& key, const Bytes& seed, size_t length);

}  // namespace ipsecsim::ike
