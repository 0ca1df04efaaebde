// libFuzzer target for the byte-level packet parsers of the data path: the
// first byte picks a parser, the rest is the packet.
//   0: a link-layer frame (Ethernet or PPP) as the firewalls and NATs see it:
//      LocateIpv4, ParseIpv4, a rule table's decision, and both NAT rewrites
//      on a copy of exactly the parsed packet;
//   1: a Geneve header after UDP 6081, then the inner Ethernet header;
//   2: a UDP payload on the NAT-T port 4500 (ESP, IKE or keepalive) and the
//      ESP header in it;
//   3: an IPv4 packet read as ICMP "fragmentation needed";
//   4: a decrypted tunnel-mode ESP payload (the next byte is its next
//      header) read as the inner IP packet, and its DS field decapsulated.
// Nothing may read out of bounds, and what parses must be consistent.
#include <ns3/ethernet-header.h>
#include <ns3/packet.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "address_rewrite.h"
#include "esp_codec.h"
#include "firewall_rule_table.h"
#include "geneve_header.h"
#include "icmp_port_tap.h"
#include "ipv4_view.h"
#include "tunnel_headers.h"
#include "udp_encap.h"

using namespace ipsecsim;

namespace {

void CheckView(const natt::Ipv4View& v, size_t size) {
  if (v.headerLength < 20 || v.headerLength > v.totalLength || v.totalLength > size ||
      (v.hasPorts &&
       (v.isLaterFragment || (v.protocol != natt::kProtoUdp && v.protocol != natt::kProtoTcp))))
    __builtin_trap();
}

void Middlebox(const std::vector<uint8_t>& frame) {
  static natt::FirewallRuleTable table = [] {
    natt::FirewallRuleTable t(natt::Action::kAllow);
    t.Add(natt::FirewallRule::Deny().Protocol(natt::kProtoEsp));
    t.Add(natt::FirewallRule::Allow()
              .Protocol(natt::kProtoUdp)
              .DestinationPorts(500)
              .From("10.0.0.0/16"));
    t.Add(natt::FirewallRule::Deny().Protocol(natt::kProtoUdp).DestinationPorts(4500, 4600));
    return t;
  }();
  for (const natt::FrameFormat format : {natt::FrameFormat::kEthernet, natt::FrameFormat::kPpp}) {
    const natt::FrameLocation where = natt::LocateIpv4(frame.data(), frame.size(), format);
    if (where.status != natt::ParseStatus::kIpv4) continue;
    if (where.ipOffset > frame.size()) __builtin_trap();
    // Exactly the bytes after the link header, so that ASan sees any overread.
    std::vector<uint8_t> ip(frame.begin() + where.ipOffset, frame.end());
    natt::Ipv4View view;
    if (natt::ParseIpv4(ip.data(), ip.size(), &view) != natt::ParseStatus::kIpv4) continue;
    CheckView(view, ip.size());
    const auto decision = table.Evaluate(view);
    if (decision.ruleNumber > table.RuleCount()) __builtin_trap();
    if (!view.hasPorts) continue;
    std::vector<uint8_t> packet(ip.begin(), ip.begin() + view.totalLength);
    natt::RewriteSource(packet.data(), view, ns3::Ipv4Address("192.0.2.1"), 40000);
    natt::RewriteDestination(packet.data(), view, ns3::Ipv4Address("10.0.0.11"), 4500);
    natt::Ipv4View after;
    if (natt::ParseIpv4(packet.data(), packet.size(), &after) != natt::ParseStatus::kIpv4 ||
        after.source != ns3::Ipv4Address("192.0.2.1") || after.sourcePort != 40000 ||
        after.destinationPort != 4500 || after.totalLength != view.totalLength)
      __builtin_trap();
  }
}

void Geneve(const std::vector<uint8_t>& bytes) {
  // As OvnNode::FromGeneve: shorter datagrams are counted malformed unread.
  if (bytes.size() < geneve::kBaseHeaderLen + geneve::kOvnOptionLen + geneve::kInnerEthernetLen)
    return;
  ns3::Ptr<ns3::Packet> p = ns3::Create<ns3::Packet>(bytes.data(), bytes.size());
  geneve::GeneveHeader header;
  const uint32_t read = p->RemoveHeader(header);
  if (read > bytes.size()) __builtin_trap();
  if (!header.IsValid()) return;
  if (header.GetVni() > 0xFFFFFF || header.GetIngressPort() > 0x7FFF) __builtin_trap();
  ns3::EthernetHeader inner(false);
  if (p->RemoveHeader(inner) != geneve::kInnerEthernetLen) __builtin_trap();
}

void NattPayload(const std::vector<uint8_t>& bytes) {
  const xfrm::UdpEncapKind kind = xfrm::ClassifyUdpEncapPayload(bytes.data(), bytes.size());
  esp::EspHeaderView esp;
  const bool header = esp::PeekHeader(bytes.data(), bytes.size(), &esp);
  if (kind == xfrm::UdpEncapKind::kEsp && (!header || esp.spi == 0)) __builtin_trap();
}

void FragNeeded(const std::vector<uint8_t>& bytes) {
  harness::FragNeeded f;
  harness::ParseFragNeeded(bytes.data(), bytes.size(), &f);
}

void TunnelInner(const std::vector<uint8_t>& bytes) {
  if (bytes.empty()) return;
  std::vector<uint8_t> packet(bytes.begin() + 1, bytes.end());
  const auto inner = xfrm::ParseInnerPacket(bytes[0], packet.data(), packet.size());
  if (!inner) return;
  if (inner->headerLen > inner->length || inner->length > packet.size()) __builtin_trap();
  xfrm::TunnelFlags flags;
  flags.decapDscp = bytes[0] & 1;
  xfrm::DecapsulateDsField(packet.data(), *inner, 0xFF, flags);
  if (!xfrm::ParseInnerPacket(bytes[0], packet.data(), packet.size())) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::vector<uint8_t> bytes(data + 1, data + size);
  switch (data[0] % 5) {
    case 0:
      Middlebox(bytes);
      break;
    case 1:
      Geneve(bytes);
      break;
    case 2:
      NattPayload(bytes);
      break;
    case 3:
      FragNeeded(bytes);
      break;
    default:
      TunnelInner(bytes);
      break;
  }
  return 0;
}
