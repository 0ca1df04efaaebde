#include "icmp_frag_needed.h"

#include <ns3/icmpv4.h>
#include <ns3/ipv4-header.h>

#include <vector>

namespace ipsecsim::sim {

using namespace ns3;

namespace {
constexpr uint32_t kIcmpQuoteLimit = 576 - 20 - 8;
constexpr uint8_t kIcmpProtocol = 1;
}  // namespace

Ptr<Packet> BuildFragNeeded(Ptr<const Packet> original, uint16_t mtu,
                            const FragNeededOrigin& origin) {
  const uint32_t quoted = std::min(original->GetSize(), kIcmpQuoteLimit);
  std::vector<uint8_t> body(4 + quoted, 0);  // unused 16 bits, next-hop MTU, quote
  body[2] = uint8_t(mtu >> 8);
  body[3] = uint8_t(mtu);
  original->CopyData(body.data() + 4, quoted);
  Ptr<Packet> packet = Create<Packet>(body.data(), body.size());
  Icmpv4Header icmp;
  icmp.SetType(Icmpv4Header::ICMPV4_DEST_UNREACH);
  icmp.SetCode(Icmpv4DestinationUnreachable::ICMPV4_FRAG_NEEDED);
  icmp.EnableChecksum();
  packet->AddHeader(icmp);
  Ipv4Header ip;
  ip.SetSource(origin.source);
  ip.SetDestination(origin.destination);
  ip.SetProtocol(kIcmpProtocol);
  ip.SetTtl(origin.ttl);
  ip.SetIdentification(origin.identification);
  ip.SetPayloadSize(packet->GetSize());
  if (origin.dontFragment) {
    ip.SetDontFragment();
  } else {
    ip.SetMayFragment();
  }
  ip.EnableChecksum();
  packet->AddHeader(ip);
  return packet;
}

Ptr<Packet> BuildTunnelFragNeeded(Ptr<const Packet> original, uint16_t mtu) {
  Ipv4Header inner;
  original->PeekHeader(inner);
  FragNeededOrigin origin;
  origin.source = inner.GetDestination();
  origin.destination = inner.GetSource();
  origin.ttl = 1;
  origin.identification = 0;
  origin.dontFragment = true;
  return BuildFragNeeded(original, mtu, origin);
}

}  // namespace ipsecsim::sim
