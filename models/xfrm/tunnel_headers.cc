#include "tunnel_headers.h"

#include "bytes.h"
#include "internet_checksum.h"

namespace ipsecsim::xfrm {

namespace {
constexpr uint8_t kEcnMask = 0x03;
constexpr uint8_t kEcnEct0 = 0x02;
constexpr uint8_t kEcnCe = 0x03;

void PutU16(uint8_t* at, uint16_t v) {
  at[0] = uint8_t(v >> 8);
  at[1] = uint8_t(v);
}

void SetIpv4Checksum(uint8_t* header, size_t len) {
  header[10] = header[11] = 0;
  PutU16(header + 10, InternetChecksum(header, len));
}

uint8_t Ipv6DsField(const uint8_t* header) { return uint8_t((header[0] << 4) | (header[1] >> 4)); }

void SetIpv6DsField(uint8_t* header, uint8_t ds) {
  header[0] = uint8_t(0x60 | (ds >> 4));
  header[1] = uint8_t((ds << 4) | (header[1] & 0x0F));
}
}  // namespace

void WriteIpv4Header(uint8_t* at, ns3::Ipv4Address src, ns3::Ipv4Address dst, uint8_t protocol,
                     uint16_t totalLength, const IpFields& fields) {
  at[0] = 0x45;
  at[1] = fields.dsField;
  PutU16(at + 2, totalLength);
  PutU16(at + 4, fields.id);
  PutU16(at + 6, fields.dontFragment ? 0x4000 : 0);
  at[8] = fields.ttl;
  at[9] = protocol;
  src.Serialize(at + 12);
  dst.Serialize(at + 16);
  SetIpv4Checksum(at, kIpv4HeaderLen);
}

void WriteIpv6Header(uint8_t* at, ns3::Ipv6Address src, ns3::Ipv6Address dst, uint8_t nextHeader,
                     uint16_t payloadLength, const IpFields& fields) {
  at[1] = at[2] = at[3] = 0;  // flow label 0
  SetIpv6DsField(at, fields.dsField);
  PutU16(at + 4, payloadLength);
  at[6] = nextHeader;
  at[7] = fields.ttl;
  src.Serialize(at + 8);
  dst.Serialize(at + 24);
}

uint8_t EcnEncapsulate(uint8_t outer, uint8_t inner) {
  outer &= uint8_t(~kEcnMask);
  outer |= (inner & kEcnMask) == kEcnCe ? kEcnEct0 : (inner & kEcnMask);
  return outer;
}

uint8_t OuterDsField(uint8_t innerDsField, const TunnelFlags& flags) {
  uint8_t ds = flags.dontEncapDscp ? 0 : innerDsField;
  ds = EcnEncapsulate(ds, innerDsField);
  if (flags.noEcn) ds &= uint8_t(~kEcnMask);
  return ds;
}

std::optional<InnerPacket> ParseInnerPacket(uint8_t nextHeader, const uint8_t* data, size_t len) {
  InnerPacket inner;
  if (nextHeader == kProtoIpip) {
    if (len < kIpv4HeaderLen || data[0] >> 4 != 4) return std::nullopt;
    inner.headerLen = size_t(data[0] & 0x0F) * 4;
    inner.length = GetU16(data + 2);
    if (inner.headerLen < kIpv4HeaderLen || inner.length < inner.headerLen || inner.length > len)
      return std::nullopt;
    inner.flow.src = ns3::Ipv4Address::Deserialize(data + 12);
    inner.flow.dst = ns3::Ipv4Address::Deserialize(data + 16);
    inner.flow.protocol = data[9];
    inner.dsField = data[1];
    const bool laterFragment = (GetU16(data + 6) & 0x1FFF) != 0;
    if (!laterFragment) {
      ReadPorts(inner.flow.protocol, data + inner.headerLen, inner.length - inner.headerLen,
                &inner.flow);
    }
    return inner;
  }
  if (nextHeader == kProtoIpv6) {
    if (len < kIpv6HeaderLen || data[0] >> 4 != 6) return std::nullopt;
    inner.headerLen = kIpv6HeaderLen;
    inner.length = kIpv6HeaderLen + GetU16(data + 4);
    if (inner.length > len) return std::nullopt;
    inner.flow.ipv6 = true;
    inner.flow.src6 = ns3::Ipv6Address::Deserialize(data + 8);
    inner.flow.dst6 = ns3::Ipv6Address::Deserialize(data + 24);
    inner.flow.protocol = data[6];
    inner.dsField = Ipv6DsField(data);
    ReadPorts(inner.flow.protocol, data + kIpv6HeaderLen, inner.length - kIpv6HeaderLen,
              &inner.flow);
    return inner;
  }
  return std::nullopt;
}

void DecapsulateDsField(uint8_t* data, const InnerPacket& inner, uint8_t outerDsField,
                        const TunnelFlags& flags) {
  uint8_t ds = inner.dsField;
  if (flags.decapDscp) ds = uint8_t((outerDsField & ~kEcnMask) | (ds & kEcnMask));
  const bool innerEct = (ds & kEcnMask) != 0;
  if (!flags.noEcn && (outerDsField & kEcnMask) == kEcnCe && innerEct) ds |= kEcnCe;
  if (ds == inner.dsField) return;
  if (inner.flow.ipv6) {
    SetIpv6DsField(data, ds);
  } else {
    data[1] = ds;
    SetIpv4Checksum(data, inner.headerLen);
  }
}

}  // namespace ipsecsim::xfrm
