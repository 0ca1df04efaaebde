#include "esp_codec.h"

#include <cryptopp/filters.h>

namespace ipsecsim::esp {

namespace {
// AAD: SPI || seq (8 bytes) or SPI || seq-high || seq-low with ESN (12 bytes).
size_t BuildAad(uint8_t* aad, uint32_t spi, uint32_t seqHigh, uint32_t seqLow, bool esn) {
  PutU32(aad, spi);
  if (esn) {
    PutU32(aad + 4, seqHigh);
    PutU32(aad + 8, seqLow);
    return 12;
  }
  PutU32(aad + 4, seqLow);
  return 8;
}
}  // namespace

bool CheckKeymat(const Bytes& keymat, std::string* error) {
  const size_t keyLen = keymat.size() >= kSaltLen ? keymat.size() - kSaltLen : 0;
  if (keyLen == 16 || keyLen == 24 || keyLen == 32) return true;
  if (error) {
    *error =
        "KEYMAT must be an AES key (16, 24 or 32 bytes) followed by a 4-byte salt, i.e. "
        "20, 28 or 36 bytes; got " +
        std::to_string(keymat.size());
  }
  return false;
}

std::unique_ptr<GcmKey> GcmKey::FromKeymat(const Bytes& keymat, std::string* error) {
  if (!CheckKeymat(keymat, error)) return nullptr;
  std::unique_ptr<GcmKey> k(new GcmKey());
  k->keymat_ = keymat;
  k->keyLen_ = keymat.size() - kSaltLen;
  return k;
}

void GcmKey::Nonce(const uint8_t* packet, uint8_t* nonce) const {
  std::copy(keymat_.begin() + keyLen_, keymat_.end(), nonce);  // salt
  std::copy(packet + kHeaderLen, packet + kPayloadOffset, nonce + kSaltLen);
}

Bytes GcmKey::Seal(uint32_t spi, uint64_t seq, bool esn, uint64_t iv, uint8_t nextHeader,
                   const uint8_t* payload, size_t payloadLen) {
  Bytes out(SealedLength(payloadLen));
  if (payloadLen) std::copy(payload, payload + payloadLen, out.data() + kPayloadOffset);
  SealInPlace(spi, seq, esn, iv, nextHeader, out.data(), payloadLen);
  return out;
}

size_t GcmKey::SealInPlace(uint32_t spi, uint64_t seq, bool esn, uint64_t iv, uint8_t nextHeader,
                           uint8_t* packet, size_t payloadLen) {
  const size_t pad = PadLength(payloadLen);
  const size_t plainLen = payloadLen + pad + kTrailerLen;
  PutU32(packet, spi);
  PutU32(packet + 4, uint32_t(seq));
  PutU64(packet + kHeaderLen, iv);

  uint8_t* plain = packet + kPayloadOffset;
  for (size_t i = 0; i < pad; ++i) plain[payloadLen + i] = uint8_t(i + 1);
  plain[payloadLen + pad] = uint8_t(pad);
  plain[payloadLen + pad + 1] = nextHeader;

  uint8_t nonce[12];
  Nonce(packet, nonce);
  uint8_t aad[12];
  size_t aadLen = BuildAad(aad, spi, uint32_t(seq >> 32), uint32_t(seq), esn);
  if (!enc_) {
    enc_ = std::make_unique<CryptoPP::GCM<CryptoPP::AES>::Encryption>();
    enc_->SetKeyWithIV(keymat_.data(), keyLen_, nonce, sizeof nonce);
  }
  enc_->EncryptAndAuthenticate(plain, plain + plainLen, kIcvLen, nonce, sizeof nonce, aad, aadLen,
                               plain, plainLen);
  return kPayloadOffset + plainLen + kIcvLen;
}

GcmKey::OpenResult GcmKey::Open(const uint8_t* packet, size_t len, bool esn, uint32_t seqHigh,
                                Bytes* payload, uint8_t* nextHeader) {
  if (len < kMinPacketLen) return OpenResult::kTruncated;
  payload->resize(len - kPayloadOffset - kIcvLen);
  size_t payloadLen = 0;
  const OpenResult r = Decrypt(packet, len, esn, seqHigh, payload->data(), &payloadLen, nextHeader);
  payload->resize(r == OpenResult::kOk ? payloadLen : 0);
  return r;
}

GcmKey::OpenResult GcmKey::OpenInPlace(uint8_t* packet, size_t len, bool esn, uint32_t seqHigh,
                                       size_t* payloadLen, uint8_t* nextHeader) {
  if (len < kMinPacketLen) return OpenResult::kTruncated;
  return Decrypt(packet, len, esn, seqHigh, packet + kPayloadOffset, payloadLen, nextHeader);
}

GcmKey::OpenResult GcmKey::Decrypt(const uint8_t* packet, size_t len, bool esn, uint32_t seqHigh,
                                   uint8_t* plain, size_t* payloadLen, uint8_t* nextHeader) {
  const size_t cipherLen = len - kPayloadOffset - kIcvLen;
  uint8_t nonce[12];
  Nonce(packet, nonce);
  uint8_t aad[12];
  size_t aadLen = BuildAad(aad, GetU32(packet), seqHigh, GetU32(packet + 4), esn);

  // Crypto++ authenticates each chunk of ciphertext before decrypting it, so
  // plain may overlap the ciphertext exactly (in-place decryption).
  const uint8_t* cipher = packet + kPayloadOffset;
  if (!dec_) {
    dec_ = std::make_unique<CryptoPP::GCM<CryptoPP::AES>::Decryption>();
    dec_->SetKeyWithIV(keymat_.data(), keyLen_, nonce, sizeof nonce);
  }
  if (!dec_->DecryptAndVerify(plain, cipher + cipherLen, kIcvLen, nonce, sizeof nonce, aad, aadLen,
                              cipher, cipherLen)) {
    return OpenResult::kIcvMismatch;
  }
  const uint8_t padLen = plain[cipherLen - 2];
  if (size_t(padLen) + kTrailerLen > cipherLen) return OpenResult::kBadTrailer;
  *nextHeader = plain[cipherLen - 1];
  *payloadLen = cipherLen - kTrailerLen - padLen;
  return OpenResult::kOk;
}

const char* OpenResultName(GcmKey::OpenResult r) {
  switch (r) {
    case GcmKey::OpenResult::kOk:
      return "ok";
    case GcmKey::OpenResult::kTruncated:
      return "packet truncated (shorter than ESP header, IV, trailer and ICV)";
    case GcmKey::OpenResult::kIcvMismatch:
      return "ICV mismatch (authentication failed)";
    case GcmKey::OpenResult::kBadTrailer:
      return "bad ESP trailer (pad length exceeds payload)";
  }
  return "?";
}

}  // namespace ipsecsim::esp
