// IKEv2 (RFC 7296) registry numbers that ipsecsim uses on the wire.
#pragma once

#include <cstdint>

namespace ipsecsim::ike {

constexpr uint8_t kIkeVersion2 = 0x20;  // major 2, minor 0
constexpr size_t kIkeHeaderLen = 28;
constexpr size_t kGenericPayloadHeaderLen = 4;

enum class ExchangeType : uint8_t {
  kIkeSaInit = 34,
  kIkeAuth = 35,
  kCreateChildSa = 36,
  kInformational = 37,
};

namespace header_flags {
constexpr uint8_t kInitiator = 0x08;
constexpr uint8_t kVersion = 0x10;
constexpr uint8_t kResponse = 0x20;
}  // namespace header_flags

enum class PayloadType : uint8_t {
  kNone = 0,
  kSa = 33,
  kKe = 34,
  kIdi = 35,
  kIdr = 36,
  kCert = 37,
  kCertReq = 38,
  kAuth = 39,
  kNonce = 40,
  kNotify = 41,
  kDelete = 42,
  kVendorId = 43,
  kTsi = 44,
  kTsr = 45,
  kSk = 46,
};

enum class ProtocolId : uint8_t { kNone = 0, kIke = 1, kAh = 2, kEsp = 3 };

enum class TransformType : uint8_t {
  kEncr = 1,
  kPrf = 2,
  kInteg = 3,
  kDh = 4,
  kEsn = 5,
};

namespace transform_id {
constexpr uint16_t kEncrAesGcm16 = 20;  // RFC 5282, 16-octet ICV
constexpr uint16_t kPrfHmacSha256 = 5;
constexpr uint16_t kDhModp2048 = 14;
constexpr uint16_t kEsnNone = 0;
constexpr uint16_t kEsnEnabled = 1;
}  // namespace transform_id

constexpr uint16_t kAttributeKeyLength = 14;

enum class NotifyType : uint16_t {
  kUnsupportedCriticalPayload = 1,
  kInvalidIkeSpi = 4,
  kInvalidMajorVersion = 5,
  kInvalidSyntax = 7,
  kInvalidMessageId = 9,
  kInvalidSpi = 11,
  kNoProposalChosen = 14,
  kInvalidKePayload = 17,
  kAuthenticationFailed = 24,
  kTsUnacceptable = 38,
  kChildSaNotFound = 44,
  kInitialContact = 16384,
  kNatDetectionSourceIp = 16388,
  kNatDetectionDestinationIp = 16389,
  kUseTransportMode = 16391,
  kRekeySa = 16393,
};

enum class IdType : uint8_t { kIpv4Addr = 1, kFqdn = 2, kRfc822Addr = 3, kDerAsn1Dn = 9 };

constexpr uint8_t kCertEncodingX509Signature = 4;
constexpr uint8_t kAuthMethodRsaSignature = 1;
constexpr uint8_t kTsIpv4AddrRange = 7;
constexpr uint8_t kTsIpv6AddrRange = 8;

}  // namespace ipsecsim::ike
