// The SK payload with AES-GCM-256 and a 16-octet ICV (RFC 7296 §3.14,
// RFC 5282): nonce = 4-byte salt || 8-byte IV, AAD = every message byte
// before the IV (IKE header, clear payloads, SK generic header).
#pragma once

#include <memory>
#include <string>

#include "ike_message.h"

namespace ipsecsim::ike {

constexpr size_t kSkIvLen = 8;
constexpr size_t kSkIcvLen = 16;
constexpr size_t kSkSaltLen = 4;
constexpr size_t kSkAesKeyLen = 32;
constexpr size_t kSkKeymatLen = kSkAesKeyLen + kSkSaltLen;  // SK_ei / SK_er

// Holds only the key and salt: a Crypto++ GCM context costs about 5.5 KiB of
// heap, and an IKE SA exchanges a few messages in its life, so each Seal and
// Open keys its own context instead of every SA keeping two.
class SkCipher {
 public:
  // `keymat` is SK_ei or SK_er: 32-byte key || 4-byte salt. Returns nullptr
  // and sets *error on any other length.
  static std::unique_ptr<SkCipher> FromKeymat(const Bytes& keymat, std::string* error);

  // A whole message: `header`, then `clearPayloads`, then an SK payload that
  // carries `inner`. IV values must never repeat under one key.
  Bytes Seal(const IkeHeader& header, const std::vector<Payload>& clearPayloads,
             const std::vector<Payload>& inner, uint64_t iv);

  // Verifies and decrypts the SK payload of a parsed message. `message` is the
  // datagram it was parsed from. Errors: ICV mismatch, bad padding, or any
  // defect in the inner payloads (offsets are those of the ciphertext bytes).
  ParseResult<std::vector<Payload>> Open(const Bytes& message, const EncryptedPayload& sk);

 private:
  SkCipher() = default;
  Bytes key_;
  Bytes salt_;
};

}  // namespace ipsecsim::ike
