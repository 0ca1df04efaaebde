// Traffic selector payloads, IPv4 ranges only (RFC 7296 §3.13).
#include "payload_codec.h"

namespace ipsecsim::ike {

namespace {
constexpr uint16_t kIpv4SelectorLen = 16;
}

void EncodeBody(const TsPayload& ts, WireWriter& w) {
  w.U8(uint8_t(ts.selectors.size()));
  w.Zeros(3);
  for (const auto& s : ts.selectors) {
    w.U8(s.tsType);
    w.U8(s.ipProtocol);
    w.U16(kIpv4SelectorLen);
    w.U16(s.startPort);
    w.U16(s.endPort);
    w.U32(s.startAddress);
    w.U32(s.endAddress);
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
    const size_t at = r.Offset();
    uint16_t length = 0;
    if (!r.U8("TS type", &s.tsType, error)) return false;
    if (s.tsType != kTsIpv4AddrRange) {
      *error = ParseError{at, "TS type 7 (TS_IPV4_ADDR_RANGE)",
                          "type " + std::to_string(s.tsType) + " is not supported"};
      return false;
    }
    if (!r.U8("TS IP protocol ID", &s.ipProtocol, error) ||
        !r.U16("TS selector length", &length, error))
      return false;
    if (length != kIpv4SelectorLen) {
      *error = ParseError{at + 2, "TS selector length 16", "declares " + std::to_string(length)};
      return false;
    }
    if (!r.U16("TS start port", &s.startPort, error) || !r.U16("TS end port", &s.endPort, error) ||
        !r.U32("TS starting address", &s.startAddress, error) ||
        !r.U32("TS ending address", &s.endAddress, error))
      return false;
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
