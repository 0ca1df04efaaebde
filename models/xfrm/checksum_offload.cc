#include "checksum_offload.h"

#include <type_traits>

#include "internet_checksum.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/ipv6-route.h"
#include "packet_bytes.h"
#include "policy.h"

namespace ipsecsim::xfrm {

using ns3::Packet;
using ns3::Ptr;

NS_OBJECT_ENSURE_REGISTERED(ChecksumOffload);

namespace {
constexpr uint8_t kProtoIcmpv6 = 58;

// Where the protocol's checksum field is in its header; 0 for none.
size_t ChecksumOffset(uint8_t protocol, bool ipv6) {
  switch (protocol) {
    case kProtoUdp:
      return 6;
    case kProtoTcp:
      return 16;
    case kProtoIcmp:
      return ipv6 ? 0 : 2;
    case kProtoIcmpv6:
      return ipv6 ? 2 : 0;
    default:
      return 0;
  }
}

// The one's complement sum of a pseudo-header: addresses, protocol, length.
uint16_t PseudoHeaderSum(const uint8_t* src, const uint8_t* dst, size_t addressLen,
                         uint8_t protocol, size_t length) {
  uint8_t tail[8] = {uint8_t(length >> 24),
                     uint8_t(length >> 16),
                     uint8_t(length >> 8),
                     uint8_t(length),
                     0,
                     0,
                     0,
                     protocol};
  uint16_t sum = OnesComplementSum(src, addressLen);
  sum = OnesComplementSum(dst, addressLen, sum);
  return OnesComplementSum(tail, sizeof tail, sum);
}

void WriteChecksum(uint8_t* segment, size_t len, size_t at, uint16_t pseudo, bool udp) {
  segment[at] = segment[at + 1] = 0;
  uint16_t checksum = uint16_t(~OnesComplementSum(segment, len, pseudo));
  if (udp && checksum == 0) checksum = 0xFFFF;  // RFC 768: zero means "none"
  segment[at] = uint8_t(checksum >> 8);
  segment[at + 1] = uint8_t(checksum);
}
}  // namespace

ns3::TypeId ChecksumOffload::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("ipsecsim::xfrm::ChecksumOffload")
                               .SetParent<ns3::Object>()
                               .SetGroupName("Ipsecsim")
                               .AddConstructor<ChecksumOffload>();
  return tid;
}

Ptr<ChecksumOffload> ChecksumOffload::Install(Ptr<ns3::Node> node) {
  Ptr<ChecksumOffload> offload = node->GetObject<ChecksumOffload>();
  if (offload) return offload;
  offload = ns3::CreateObject<ChecksumOffload>();
  node->AggregateObject(offload);
  offload->Attach(node);
  return offload;
}

void ChecksumOffload::Attach(Ptr<ns3::Node> node) {
  Ptr<ns3::Ipv4L3Protocol> ipv4 = node->GetObject<ns3::Ipv4L3Protocol>();
  NS_ABORT_MSG_IF(!ipv4, "ipsecsim: install the internet stack before ChecksumOffload");
  for (uint8_t protocol : {kProtoIcmp, kProtoTcp, kProtoUdp}) {
    Ptr<ns3::IpL4Protocol> l4 = ipv4->GetProtocol(protocol);
    if (!l4) continue;
    m_lower[protocol] = l4->GetDownTarget();
    l4->SetDownTarget(ns3::MakeCallback(&ChecksumOffload::Send, this));
  }
  Ptr<ns3::Ipv6L3Protocol> ipv6 = node->GetObject<ns3::Ipv6L3Protocol>();
  if (!ipv6) return;
  for (uint8_t protocol : {kProtoTcp, kProtoUdp}) {
    Ptr<ns3::IpL4Protocol> l4 = ipv6->GetProtocol(protocol);
    if (!l4) continue;
    m_lower6[protocol] = l4->GetDownTarget6();
    l4->SetDownTarget6(ns3::MakeCallback(&ChecksumOffload::Send6, this));
  }
}

void ChecksumOffload::DoDispose() {
  m_lower.clear();
  m_lower6.clear();
  ns3::Object::DoDispose();
}

void ChecksumOffload::Send(Ptr<Packet> segment, ns3::Ipv4Address src, ns3::Ipv4Address dst,
                           uint8_t protocol, Ptr<ns3::Ipv4Route> route) {
  Fill(segment, src, dst, protocol);
  m_lower.at(protocol)(segment, src, dst, protocol, route);
}

void ChecksumOffload::Send6(Ptr<Packet> segment, ns3::Ipv6Address src, ns3::Ipv6Address dst,
                            uint8_t protocol, Ptr<ns3::Ipv6Route> route) {
  Fill(segment, src, dst, protocol);
  m_lower6.at(protocol)(segment, src, dst, protocol, route);
}

void ChecksumOffload::Fill(Ptr<Packet> segment, ns3::Ipv4Address src, ns3::Ipv4Address dst,
                           uint8_t protocol) {
  FillPacket(segment, src, dst, protocol);
}

void ChecksumOffload::Fill(Ptr<Packet> segment, ns3::Ipv6Address src, ns3::Ipv6Address dst,
                           uint8_t protocol) {
  FillPacket(segment, src, dst, protocol);
}

template <class Address>
void ChecksumOffload::FillPacket(Ptr<Packet> segment, Address src, Address dst, uint8_t protocol) {
  const size_t at = ChecksumOffset(protocol, std::is_same_v<Address, ns3::Ipv6Address>);
  const uint32_t len = segment->GetSize();
  if (at == 0 || len < at + 2) return;
  m_scratch.resize(len);
  uint8_t* bytes = m_scratch.data();
  segment->CopyData(bytes, len);
  FillBytes(bytes, len, src, dst, protocol);
  // Only the header up to the checksum is written again.
  segment->RemoveAtStart(uint32_t(at + 2));
  segment->AddHeader(RawBytesHeader(bytes, at + 2));
}

void ChecksumOffload::FillBytes(uint8_t* segment, size_t len, ns3::Ipv4Address src,
                                ns3::Ipv4Address dst, uint8_t protocol) {
  const size_t at = ChecksumOffset(protocol, false);
  if (at == 0 || len < at + 2) return;
  uint16_t pseudo = 0;
  if (protocol != kProtoIcmp) {
    uint8_t s[4], d[4];
    src.Serialize(s);
    dst.Serialize(d);
    pseudo = PseudoHeaderSum(s, d, 4, protocol, len);
  }
  WriteChecksum(segment, len, at, pseudo, protocol == kProtoUdp);
}

void ChecksumOffload::FillBytes(uint8_t* segment, size_t len, ns3::Ipv6Address src,
                                ns3::Ipv6Address dst, uint8_t protocol) {
  const size_t at = ChecksumOffset(protocol, true);
  if (at == 0 || len < at + 2) return;
  uint8_t s[16], d[16];
  src.Serialize(s);
  dst.Serialize(d);
  WriteChecksum(segment, len, at, PseudoHeaderSum(s, d, 16, protocol, len), protocol == kProtoUdp);
}

}  // namespace ipsecsim::xfrm
