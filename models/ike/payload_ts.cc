// Traffic selector payloads (RFC 7296 §3.13.1): TS_IPV4_ADDR_RANGE (7) with
// 4-byte addresses, TS_IPV6_ADDR_RANGE (8) with 16-byte ones.
#include "payload_codec.h"

namespace ipsecsim::ike {

namespace {

// Type, protocol, length, two ports, then the two addresses.
constexpr uint16_t kSelectorFixedLen = 8;

uint16_t SelectorLength(size_t addressLength) {
  return uint16_t(kSelectorFixedLen + 2 * addressLength);
}

// The address length of a selector type ipsecsim reads, or 0.
size_t AddressLengthOf(uint8_t tsType) {
  if (tsType == kTsIpv4AddrRange) return 4;
  if (tsType == kTsIpv6AddrRange) return 16;
  return 0;
}

bool ReadAddress(WireReader& r, const char* expected, size_t length, IpAddress* out,
                 ParseError* error) {
  Bytes bytes;
  if (!r.Take(expected, length, &bytes, error)) return false;
  *out = *IpAddress::FromBytes(bytes.data(), bytes.size());
  return true;
}

bool ParseSelector(WireReader& r, TrafficSelector* s, ParseError* error) {
  const size_t at = r.Offset();
  uint8_t type = 0;
  uint16_t length = 0;
  if (!r.U8("TS type", &type, error)) return false;
  const size_t addressLength = AddressLengthOf(type);
  if (addressLength == 0) {
    *error = ParseError{at, "TS type 7 (TS_IPV4_ADDR_RANGE) or 8 (TS_IPV6_ADDR_RANGE)",
                        "type " + std::to_string(type) + " is not supported"};
    return false;
  }
  if (!r.U8("TS IP protocol ID", &s->ipProtocol, error) ||
      !r.U16("TS selector length", &length, error))
    return false;
  const uint16_t expectedLength = SelectorLength(addressLength);
  if (length != expectedLength) {
    *error = ParseError{at + 2, "TS selector length " + std::to_string(expectedLength),
                        "declares " + std::to_string(length)};
    return false;
  }
  return r.U16("TS start port", &s->startPort, error) && r.U16("TS end port", &s->endPort, error) &&
         ReadAddress(r, "TS starting address", addressLength, &s->startAddress, error) &&
         ReadAddress(r, "TS ending address", addressLength, &s->endAddress, error);
}

}  // namespace

void EncodeBody(const TsPayload& ts, WireWriter& w) {
  w.U8(uint8_t(ts.selectors.size()));
  w.Zeros(3);
  for (const auto& s : ts.selectors) {
    w.U8(s.TsType());
    w.U8(s.ipProtocol);
    w.U16(SelectorLength(s.startAddress.Size()));
    w.U16(s.startPort);
    w.U16(s.endPort);
    w.Append(s.startAddress.Data(), s.startAddress.Size());
    w.Append(s.endAddress.Data(), s.endAddress.Size());
  }
}

bool ParseBody(WireReader& r, TsPayload* out, ParseError* error) {
  uint8_t count = 0;
  Bytes reserved;
  if (!r.U8("number of traffic selectors", &count, error) ||
      !r.Take("TS reserved", 3, &reserved, error))
    return false;
  if (count == 0) {
    *error = ParseError{r.Offset() - 4, "number of traffic selectors", "zero"};
    return false;
  }
  for (unsigned i = 0; i < count; ++i) {
    TrafficSelector s;
    if (!ParseSelector(r, &s, error)) return false;
    out->selectors.push_back(s);
  }
  if (!r.AtEnd()) {
    *error = r.ErrorHere("end of TS payload",
                         std::to_string(r.Remaining()) + " bytes after the declared selectors");
    return false;
  }
  return true;
}

}  // namespace ipsecsim::ike
