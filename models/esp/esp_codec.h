// ESP (RFC 4303) packet framing with AES-GCM (RFC 4106), ICV 16 bytes.
// Stateless: sequence numbers, IVs and anti-replay live in esp_sa.h.
#pragma once

#include <cryptopp/aes.h>
#include <cryptopp/gcm.h>

#include <cstdint>
#include <memory>
#include <string>

#include "bytes.h"

namespace ipsecsim::esp {

constexpr size_t kHeaderLen = 8;  // SPI + sequence number
constexpr size_t kIvLen = 8;
constexpr size_t kIcvLen = 16;
constexpr size_t kSaltLen = 4;
constexpr size_t kTrailerLen = 2;  // pad length + next header
constexpr size_t kMinPacketLen = kHeaderLen + kIvLen + kTrailerLen + kIcvLen;
constexpr size_t kPayloadOffset = kHeaderLen + kIvLen;  // where the payload sits in a packet

// Padding so that payload + pad + 2 is a multiple of 4 (RFC 4303 §2.4).
// GCM is a stream mode: never pad to the AES block size.
inline size_t PadLength(size_t payloadLen) { return (4 - (payloadLen + kTrailerLen) % 4) % 4; }
// Bytes transport-mode ESP adds to a payload of this size: 34 to 37.
inline size_t TransportOverhead(size_t payloadLen) {
  return kHeaderLen + kIvLen + PadLength(payloadLen) + kTrailerLen + kIcvLen;
}
// Length of the ESP packet (SPI .. ICV) that carries a payload of this size.
inline size_t SealedLength(size_t payloadLen) { return payloadLen + TransportOverhead(payloadLen); }

// AES-GCM key material: KEYMAT = key (16, 24 or 32 bytes) || 4-byte salt.
// Whether keymat can key a GcmKey; sets *error (when given) if not.
bool CheckKeymat(const Bytes& keymat, std::string* error);

class GcmKey {
 public:
  // Returns nullptr and sets *error when the KEYMAT length is not 20, 28 or 36.
  static std::unique_ptr<GcmKey> FromKeymat(const Bytes& keymat, std::string* error);

  size_t KeyBits() const { return keyLen_ * 8; }
  const Bytes& Keymat() const { return keymat_; }

  // Builds SPI .. ICV. seq is the full 64-bit number: its low 32 bits go on the
  // wire, and with esn the high 32 bits enter the AAD too.
  Bytes Seal(uint32_t spi, uint64_t seq, bool esn, uint64_t iv, uint8_t nextHeader,
             const uint8_t* payload, size_t payloadLen);
  // Seal without allocating: the payload already sits at packet + kPayloadOffset
  // and packet has room for SealedLength(payloadLen) bytes. Returns that length.
  size_t SealInPlace(uint32_t spi, uint64_t seq, bool esn, uint64_t iv, uint8_t nextHeader,
                     uint8_t* packet, size_t payloadLen);

  enum class OpenResult { kOk, kTruncated, kIcvMismatch, kBadTrailer };
  // Verifies and decrypts packet (SPI .. ICV). seqHigh enters the AAD when esn.
  // On kOk, *payload and *nextHeader hold the inner data.
  OpenResult Open(const uint8_t* packet, size_t len, bool esn, uint32_t seqHigh, Bytes* payload,
                  uint8_t* nextHeader);
  // Open without allocating: decrypts over the ciphertext. On kOk the payload is
  // the *payloadLen bytes at packet + kPayloadOffset; on failure the bytes after
  // the IV are garbage.
  OpenResult OpenInPlace(uint8_t* packet, size_t len, bool esn, uint32_t seqHigh,
                         size_t* payloadLen, uint8_t* nextHeader);

 private:
  GcmKey() = default;
  void Nonce(const uint8_t* packet, uint8_t* nonce) const;
  // Decrypts packet's ciphertext into plain, which may be packet + kPayloadOffset.
  OpenResult Decrypt(const uint8_t* packet, size_t len, bool esn, uint32_t seqHigh, uint8_t* plain,
                     size_t* payloadLen, uint8_t* nextHeader);
  Bytes keymat_;
  size_t keyLen_ = 0;
  // Keyed on first use, each direction alone: a context costs about 5.5 KiB
  // of heap, an SA carries traffic one way, and most SAs of a large mesh
  // carry none.
  std::unique_ptr<CryptoPP::GCM<CryptoPP::AES>::Encryption> enc_;
  std::unique_ptr<CryptoPP::GCM<CryptoPP::AES>::Decryption> dec_;
};

const char* OpenResultName(GcmKey::OpenResult r);

// Fields of an ESP header, for parsers that only need to route a packet.
struct EspHeaderView {
  uint32_t spi;
  uint32_t seqLow;
};
inline bool PeekHeader(const uint8_t* packet, size_t len, EspHeaderView* out) {
  if (len < kHeaderLen) return false;
  out->spi = GetU32(packet);
  out->seqLow = GetU32(packet + 4);
  return true;
}

}  // namespace ipsecsim::esp
