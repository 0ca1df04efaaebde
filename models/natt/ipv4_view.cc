#include "ipv4_view.h"

#include "bytes.h"

namespace ipsecsim::natt {
namespace {

uint32_t Read32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

size_t MinimumL4Header(uint8_t protocol) {
  switch (protocol) {
    case kProtoUdp:
      return 8;
    case kProtoTcp:
      return 20;
    default:
      return 0;
  }
}

constexpr size_t kEthernetHeader = 14;
constexpr size_t kLlcSnapHeader = 8;
constexpr uint16_t kPppIpv4 = 0x0021;

}  // namespace

ParseStatus ParseIpv4(const uint8_t* ip, size_t size, Ipv4View* view) {
  if (size < 20 || (ip[0] >> 4) != 4) return ParseStatus::kMalformed;
  const uint16_t headerLength = uint16_t((ip[0] & 0x0f) * 4);
  const uint16_t totalLength = GetU16(ip + 2);
  if (headerLength < 20 || totalLength < headerLength || totalLength > size) {
    return ParseStatus::kMalformed;
  }
  Ipv4View v;
  v.headerLength = headerLength;
  v.totalLength = totalLength;
  const uint16_t flagsAndOffset = GetU16(ip + 6);
  const bool moreFragments = flagsAndOffset & 0x2000;
  v.isLaterFragment = (flagsAndOffset & 0x1fff) != 0;
  v.isFragment = moreFragments || v.isLaterFragment;
  v.protocol = ip[9];
  v.source = ns3::Ipv4Address(Read32(ip + 12));
  v.destination = ns3::Ipv4Address(Read32(ip + 16));
  const size_t l4Needed = MinimumL4Header(v.protocol);
  if (l4Needed > 0 && !v.isLaterFragment) {
    if (size_t(totalLength - headerLength) < l4Needed) return ParseStatus::kMalformed;
    v.hasPorts = true;
    v.sourcePort = GetU16(ip + headerLength);
    v.destinationPort = GetU16(ip + headerLength + 2);
  }
  *view = v;
  return ParseStatus::kIpv4;
}

FrameLocation LocateIpv4(const uint8_t* frame, size_t size, FrameFormat format) {
  if (format == FrameFormat::kPpp) {
    if (size < 2) return {ParseStatus::kMalformed};
    if (GetU16(frame) != kPppIpv4) return {ParseStatus::kNotIpv4};
    return {ParseStatus::kIpv4, 2};
  }
  if (size < kEthernetHeader) return {ParseStatus::kMalformed};
  const uint16_t lengthOrType = GetU16(frame + 12);
  if (lengthOrType > 1500) {
    if (lengthOrType != kEtherTypeIpv4) return {ParseStatus::kNotIpv4};
    return {ParseStatus::kIpv4, kEthernetHeader};
  }
  // 802.3 length: LLC/SNAP (AA AA 03, OUI 0) carries the EtherType.
  if (size < kEthernetHeader + kLlcSnapHeader) return {ParseStatus::kMalformed};
  const uint8_t* llc = frame + kEthernetHeader;
  if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03) return {ParseStatus::kNotIpv4};
  if (GetU16(llc + 6) != kEtherTypeIpv4) return {ParseStatus::kNotIpv4};
  return {ParseStatus::kIpv4, kEthernetHeader + kLlcSnapHeader};
}

}  // namespace ipsecsim::natt
