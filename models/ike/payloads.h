// The IKEv2 payloads ipsecsim speaks (RFC 7296 §3.3-3.15), as plain values.
// Encoding and parsing live in payload_codec.h; no state machine here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bytes.h"
#include "ike_constants.h"
#include "ip_address.h"

namespace ipsecsim::ike {

struct TransformAttribute {
  uint16_t type = 0;
  // TV form (AF bit set) carries a 16-bit value; TLV form carries bytes.
  bool shortForm = true;
  uint16_t shortValue = 0;
  Bytes longValue;
};

struct Transform {
  TransformType type = TransformType::kEncr;
  uint16_t id = 0;
  std::vector<TransformAttribute> attributes;
  std::optional<uint16_t> KeyLength() const;
};

struct Proposal {
  uint8_t number = 1;
  ProtocolId protocol = ProtocolId::kIke;
  Bytes spi;  // empty in IKE_SA_INIT, 4 bytes for ESP, 8 for an IKE SA rekey
  std::vector<Transform> transforms;
};

struct SaPayload {
  std::vector<Proposal> proposals;
};

struct KePayload {
  uint16_t dhGroup = 0;
  Bytes keyData;
};

struct NoncePayload {
  Bytes nonce;  // 16 to 256 bytes
};

struct NotifyPayload {
  ProtocolId protocol = ProtocolId::kNone;
  uint16_t type = 0;  // a NotifyType, or any other number received
  Bytes spi;
  Bytes data;
};

// IDi or IDr (the Payload's type says which).
struct IdPayload {
  IdType idType = IdType::kFqdn;
  Bytes data;  // for ID_FQDN: the name without "@"
};

struct CertPayload {
  uint8_t encoding = kCertEncodingX509Signature;
  Bytes data;  // DER certificate
};

struct AuthPayload {
  uint8_t method = kAuthMethodRsaSignature;
  Bytes data;
};

// TS_IPV4_ADDR_RANGE or TS_IPV6_ADDR_RANGE, as the addresses' family says
// (both addresses are of one family).
struct TrafficSelector {
  uint8_t ipProtocol = 0;  // 0 = any
  uint16_t startPort = 0;
  uint16_t endPort = 65535;
  IpAddress startAddress = IpAddress::V4(0);
  IpAddress endAddress = IpAddress::V4(0xffffffff);
  uint8_t TsType() const { return startAddress.IsV6() ? kTsIpv6AddrRange : kTsIpv4AddrRange; }
  bool operator==(const TrafficSelector& o) const {
    return ipProtocol == o.ipProtocol && startPort == o.startPort && endPort == o.endPort &&
           startAddress == o.startAddress && endAddress == o.endAddress;
  }
};

// TSi or TSr (the Payload's type says which).
struct TsPayload {
  std::vector<TrafficSelector> selectors;
};

struct DeletePayload {
  ProtocolId protocol = ProtocolId::kEsp;
  uint8_t spiSize = 4;  // 0 for the IKE SA itself
  std::vector<Bytes> spis;
};

// The SK payload as it sits on the wire. Its first inner payload type is in
// Payload::firstInner; see encrypted_payload.h for sealing and opening.
struct EncryptedPayload {
  Bytes iv;          // 8 bytes
  Bytes ciphertext;  // encrypted inner payloads, padding and pad length, then the 16-byte ICV
  PayloadType firstInner = PayloadType::kNone;
  // Set by the parser: the message bytes before the SK contents (IKE header,
  // any clear payloads, SK generic header) are the AES-GCM AAD.
  size_t aadLength = 0;
};

// A payload the parser does not interpret (Vendor ID, CERTREQ, or an unknown
// non-critical type): kept as bytes.
struct OpaquePayload {
  Bytes body;
};

using PayloadBody =
    std::variant<SaPayload, KePayload, NoncePayload, NotifyPayload, IdPayload, CertPayload,
                 AuthPayload, TsPayload, DeletePayload, EncryptedPayload, OpaquePayload>;

struct Payload {
  PayloadType type = PayloadType::kNone;
  bool critical = false;
  PayloadBody body;
};

// Convenience constructors for the common payloads.
Payload MakeNotify(NotifyType type, Bytes data = {}, ProtocolId protocol = ProtocolId::kNone,
                   Bytes spi = {});
Payload MakeFqdnId(PayloadType idiOrIdr, const std::string& systemId);
std::string IdDataString(const IdPayload& id);

// The first payload of `type` in the list, or nullptr.
const Payload* FindPayload(const std::vector<Payload>& payloads, PayloadType type);
const NotifyPayload* FindNotify(const std::vector<Payload>& payloads, NotifyType type);

template <typename Body>
const Body* BodyOf(const Payload* p) {
  return p ? std::get_if<Body>(&p->body) : nullptr;
}

}  // namespace ipsecsim::ike
