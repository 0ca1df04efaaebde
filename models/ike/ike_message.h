// The IKE header and a whole IKEv2 message: header plus payload chain
// (RFC 7296 §3.1, §3.2). Encrypted (SK) payloads are sealed and opened by
// SkCipher in encrypted_payload.h.
#pragma once

#include <cstdint>
#include <vector>

#include "bytes.h"
#include "parse_error.h"
#include "payloads.h"

namespace ipsecsim::ike {

struct IkeHeader {
  uint64_t spiI = 0;
  uint64_t spiR = 0;
  PayloadType nextPayload = PayloadType::kNone;  // filled by the encoder
  uint8_t version = kIkeVersion2;
  ExchangeType exchange = ExchangeType::kIkeSaInit;
  uint8_t flags = 0;  // header_flags
  uint32_t messageId = 0;
  uint32_t length = 0;  // filled by the encoder

  bool IsResponse() const { return flags & header_flags::kResponse; }
  bool FromInitiator() const { return flags & header_flags::kInitiator; }
};

struct IkeMessage {
  IkeHeader header;
  std::vector<Payload> payloads;
};

// Encodes header and payloads; header.nextPayload and header.length are
// computed. An EncryptedPayload, if any, must be last.
Bytes EncodeMessage(const IkeMessage& message);

// Writes the 28-byte header with the given first payload and total length.
void EncodeHeader(const IkeHeader& header, PayloadType first, uint32_t length, Bytes* out);

// Parses a whole datagram. Never reads out of bounds; any defect is a
// ParseError with the offset of the faulty field. An SK payload is returned
// still encrypted (open it with SkCipher::Open).
ParseResult<IkeMessage> ParseMessage(const uint8_t* data, size_t len);
inline ParseResult<IkeMessage> ParseMessage(const Bytes& data) {
  return ParseMessage(data.data(), data.size());
}

// Encodes a payload chain (no IKE header); returns the first payload type.
PayloadType EncodePayloadChain(const std::vector<Payload>& payloads, Bytes* out);
// Parses a payload chain that starts with `first` and fills exactly
// [data, data + len); `base` is data's offset in the message, for errors.
ParseResult<std::vector<Payload>> ParsePayloadChain(const uint8_t* data, size_t len, size_t base,
                                                    PayloadType first, bool allowEncrypted);

const char* PayloadTypeName(PayloadType type);

}  // namespace ipsecsim::ike
