// KE, Nonce, Notify and Delete payloads (RFC 7296 §3.4, 3.9, 3.10, 3.11).
#include "payload_codec.h"

namespace ipsecsim::ike {

namespace {
constexpr size_t kMinNonceLen = 16;
constexpr size_t kMaxNonceLen = 256;

bool RestOf(WireReader& r, const char* expected, Bytes* out, ParseError* error) {
  return r.Take(expected, r.Remaining(), out, error);
}
}  // namespace

void EncodeBody(const KePayload& ke, WireWriter& w) {
  w.U16(ke.dhGroup);
  w.U16(0);
  w.Append(ke.keyData);
}

bool ParseBody(WireReader& r, KePayload* out, ParseError* error) {
  uint16_t reserved = 0;
  if (!r.U16("KE Diffie-Hellman group", &out->dhGroup, error) ||
      !r.U16("KE reserved", &reserved, error))
    return false;
  if (r.AtEnd()) {
    *error = r.ErrorHere("KE key exchange data", "empty");
    return false;
  }
  return RestOf(r, "KE key exchange data", &out->keyData, error);
}

void EncodeBody(const NoncePayload& nonce, WireWriter& w) { w.Append(nonce.nonce); }

bool ParseBody(WireReader& r, NoncePayload* out, ParseError* error) {
  if (r.Remaining() < kMinNonceLen || r.Remaining() > kMaxNonceLen) {
    *error = r.ErrorHere("Nonce data of 16 to 256 bytes",
                         std::to_string(r.Remaining()) + " bytes present");
    return false;
  }
  return RestOf(r, "Nonce data", &out->nonce, error);
}

void EncodeBody(const NotifyPayload& notify, WireWriter& w) {
  w.U8(uint8_t(notify.protocol));
  w.U8(uint8_t(notify.spi.size()));
  w.U16(notify.type);
  w.Append(notify.spi);
  w.Append(notify.data);
}

bool ParseBody(WireReader& r, NotifyPayload* out, ParseError* error) {
  uint8_t protocol = 0, spiSize = 0;
  if (!r.U8("Notify protocol ID", &protocol, error) || !r.U8("Notify SPI size", &spiSize, error) ||
      !r.U16("Notify message type", &out->type, error) ||
      !r.Take("Notify SPI", spiSize, &out->spi, error))
    return false;
  out->protocol = ProtocolId(protocol);
  return RestOf(r, "Notify data", &out->data, error);
}

void EncodeBody(const DeletePayload& del, WireWriter& w) {
  w.U8(uint8_t(del.protocol));
  w.U8(del.spiSize);
  w.U16(uint16_t(del.spis.size()));
  for (const auto& spi : del.spis) w.Append(spi);
}

bool ParseBody(WireReader& r, DeletePayload* out, ParseError* error) {
  uint8_t protocol = 0;
  uint16_t count = 0;
  if (!r.U8("Delete protocol ID", &protocol, error) ||
      !r.U8("Delete SPI size", &out->spiSize, error) || !r.U16("Delete SPI count", &count, error))
    return false;
  out->protocol = ProtocolId(protocol);
  // RFC 7296 §3.11: the IKE SA is deleted with SPI size 0 and no SPIs. A
  // count with size 0 would cost memory per SPI without a byte on the wire.
  if (out->spiSize == 0 && count != 0) {
    *error = r.ErrorHere("Delete SPI count 0 with SPI size 0 (the IKE SA itself)",
                         std::to_string(count) + " SPIs of 0 bytes declared");
    return false;
  }
  if (size_t(count) * out->spiSize != r.Remaining()) {
    *error = r.ErrorHere("Delete SPIs", std::to_string(count) + " SPIs of " +
                                            std::to_string(out->spiSize) + " bytes declared, " +
                                            std::to_string(r.Remaining()) + " bytes present");
    return false;
  }
  out->spis.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    Bytes spi;
    if (!r.Take("Delete SPI", out->spiSize, &spi, error)) return false;
    out->spis.push_back(std::move(spi));
  }
  return true;
}

}  // namespace ipsecsim::ike
