#include "ike_message.h"

#include "payload_codec.h"
#include "wire_reader.h"

namespace ipsecsim::ike {

namespace {

constexpr uint8_t kCriticalBit = 0x80;

bool IsKnownType(uint8_t type) {
  return type >= uint8_t(PayloadType::kSa) && type <= uint8_t(PayloadType::kSk);
}

PayloadBody EmptyBodyFor(PayloadType type) {
  switch (type) {
    case PayloadType::kSa:
      return SaPayload{};
    case PayloadType::kKe:
      return KePayload{};
    case PayloadType::kIdi:
    case PayloadType::kIdr:
      return IdPayload{};
    case PayloadType::kCert:
      return CertPayload{};
    case PayloadType::kAuth:
      return AuthPayload{};
    case PayloadType::kNonce:
      return NoncePayload{};
    case PayloadType::kNotify:
      return NotifyPayload{};
    case PayloadType::kDelete:
      return DeletePayload{};
    case PayloadType::kTsi:
    case PayloadType::kTsr:
      return TsPayload{};
    case PayloadType::kSk:
      return EncryptedPayload{};
    default:
      return OpaquePayload{};
  }
}

bool ParseBodyOf(WireReader& r, PayloadBody* body, ParseError* error) {
  return std::visit(
      [&](auto& b) {
        if constexpr (std::is_same_v<std::decay_t<decltype(b)>, OpaquePayload>) {
          return r.Take("payload body", r.Remaining(), &b.body, error);
        } else {
          return ParseBody(r, &b, error);
        }
      },
      *body);
}

}  // namespace

const char* PayloadTypeName(PayloadType type) {
  switch (type) {
    case PayloadType::kNone:
      return "none";
    case PayloadType::kSa:
      return "SA";
    case PayloadType::kKe:
      return "KE";
    case PayloadType::kIdi:
      return "IDi";
    case PayloadType::kIdr:
      return "IDr";
    case PayloadType::kCert:
      return "CERT";
    case PayloadType::kCertReq:
      return "CERTREQ";
    case PayloadType::kAuth:
      return "AUTH";
    case PayloadType::kNonce:
      return "Nonce";
    case PayloadType::kNotify:
      return "Notify";
    case PayloadType::kDelete:
      return "Delete";
    case PayloadType::kVendorId:
      return "Vendor ID";
    case PayloadType::kTsi:
      return "TSi";
    case PayloadType::kTsr:
      return "TSr";
    case PayloadType::kSk:
      return "SK";
  }
  return "unknown";
}

PayloadType EncodePayloadChain(const std::vector<Payload>& payloads, Bytes* out) {
  WireWriter w;
  for (size_t i = 0; i < payloads.size(); ++i) {
    const Payload& p = payloads[i];
    PayloadType next = i + 1 < payloads.size() ? payloads[i + 1].type : PayloadType::kNone;
    if (auto* sk = std::get_if<EncryptedPayload>(&p.body)) next = sk->firstInner;
    const size_t start = w.Size();
    w.U8(uint8_t(next));
    w.U8(p.critical ? kCriticalBit : 0);
    w.U16(0);
    std::visit([&](const auto& b) { EncodeBody(b, w); }, p.body);
    w.PatchU16(start + 2, uint16_t(w.Size() - start));
  }
  out->insert(out->end(), w.Buffer().begin(), w.Buffer().end());
  return payloads.empty() ? PayloadType::kNone : payloads.front().type;
}

void EncodeHeader(const IkeHeader& header, PayloadType first, uint32_t length, Bytes* out) {
  WireWriter w;
  w.U64(header.spiI);
  w.U64(header.spiR);
  w.U8(uint8_t(first));
  w.U8(header.version);
  w.U8(uint8_t(header.exchange));
  w.U8(header.flags);
  w.U32(header.messageId);
  w.U32(length);
  out->insert(out->end(), w.Buffer().begin(), w.Buffer().end());
}

Bytes EncodeMessage(const IkeMessage& message) {
  Bytes chain;
  const PayloadType first = EncodePayloadChain(message.payloads, &chain);
  Bytes out;
  EncodeHeader(message.header, first, uint32_t(kIkeHeaderLen + chain.size()), &out);
  out.insert(out.end(), chain.begin(), chain.end());
  return out;
}

ParseResult<std::vector<Payload>> ParsePayloadChain(const uint8_t* data, size_t len, size_t base,
                                                    PayloadType first, bool allowEncrypted) {
  WireReader r(data, len, base);
  std::vector<Payload> payloads;
  ParseError error;
  uint8_t type = uint8_t(first);
  while (type != uint8_t(PayloadType::kNone)) {
    const size_t at = r.Offset();
    uint8_t next = 0, flags = 0;
    uint16_t length = 0;
    if (!r.U8("generic payload header", &next, &error) ||
        !r.U8("generic payload header", &flags, &error) ||
        !r.U16("generic payload header", &length, &error))
      return error;
    if (length < kGenericPayloadHeaderLen)
      return ParseError{at + 2, "payload length of at least 4",
                        "declares " + std::to_string(length)};
    WireReader body(nullptr, 0, 0);
    const std::string what = std::string(PayloadTypeName(PayloadType(type))) + " payload body";
    if (!r.Sub(what.c_str(), length - kGenericPayloadHeaderLen, &body, &error)) return error;
    Payload p;
    p.type = PayloadType(type);
    p.critical = flags & kCriticalBit;
    if (!IsKnownType(type) && p.critical)
      return ParseError{at, "a payload ipsecsim understands",
                        "unsupported critical payload type " + std::to_string(type)};
    if (p.type == PayloadType::kSk && !allowEncrypted)
      return ParseError{at, "an inner payload", "SK payload nested inside SK"};
    p.body = EmptyBodyFor(p.type);
    if (!ParseBodyOf(body, &p.body, &error)) return error;
    if (!body.AtEnd())
      return body.ErrorHere("end of " + std::string(PayloadTypeName(p.type)) + " payload",
                            std::to_string(body.Remaining()) + " unread bytes");
    if (auto* sk = std::get_if<EncryptedPayload>(&p.body)) {
      sk->firstInner = PayloadType(next);
      payloads.push_back(std::move(p));
      if (!r.AtEnd())
        return r.ErrorHere("end of message after the SK payload",
                           std::to_string(r.Remaining()) + " more bytes");
      return payloads;
    }
    payloads.push_back(std::move(p));
    type = next;
  }
  if (!r.AtEnd())
    return r.ErrorHere("end of message (last payload's next is none)",
                       std::to_string(r.Remaining()) + " more bytes");
  return payloads;
}

ParseResult<IkeMessage> ParseMessage(const uint8_t* data, size_t len) {
  WireReader r(data, len, 0);
  ParseError error;
  IkeMessage m;
  uint8_t next = 0, exchange = 0;
  if (!r.U64("initiator SPI", &m.header.spiI, &error) ||
      !r.U64("responder SPI", &m.header.spiR, &error) || !r.U8("next payload", &next, &error) ||
      !r.U8("version", &m.header.version, &error) || !r.U8("exchange type", &exchange, &error) ||
      !r.U8("flags", &m.header.flags, &error) ||
      !r.U32("message ID", &m.header.messageId, &error) ||
      !r.U32("message length", &m.header.length, &error))
    return error;
  m.header.nextPayload = PayloadType(next);
  m.header.exchange = ExchangeType(exchange);
  if (m.header.version >> 4 != 2)
    return ParseError{17, "major version 2", "version byte 0x" + ToHex(&m.header.version, 1)};
  if (m.header.length != len)
    return ParseError{
        24, "message length equal to the datagram",
        "header says " + std::to_string(m.header.length) + ", datagram has " + std::to_string(len)};
  auto chain = ParsePayloadChain(data + kIkeHeaderLen, len - kIkeHeaderLen, kIkeHeaderLen,
                                 m.header.nextPayload, true);
  if (!chain.Ok()) return chain.Error();
  m.payloads = std::move(chain.Value());
  return m;
}

}  // namespace ipsecsim::ike
