#include "underlay_egress.h"

namespace ipsecsim::sim {

using namespace ns3;

std::vector<Ptr<Packet>> FitToMtu(Ptr<const Packet> ipPacket, uint32_t mtu, bool headerChecksum) {
  if (ipPacket->GetSize() <= mtu) return {ipPacket->Copy()};
  Ptr<Packet> payload = ipPacket->Copy();
  Ipv4Header ip;
  payload->RemoveHeader(ip);
  if (ip.IsDontFragment()) return {};
  const uint32_t header = ip.GetSerializedSize();
  const uint32_t chunk = (mtu - header) / 8 * 8;  // offsets count 8-byte units
  const uint32_t total = payload->GetSize();
  const bool originalHasMore = !ip.IsLastFragment();
  std::vector<Ptr<Packet>> pieces;
  for (uint32_t at = 0; at < total; at += chunk) {
    const uint32_t len = std::min(chunk, total - at);
    Ptr<Packet> piece = payload->CreateFragment(at, len);
    Ipv4Header h = ip;
    if (headerChecksum) h.EnableChecksum();
    h.SetFragmentOffset(uint16_t(ip.GetFragmentOffset() + at));
    h.SetPayloadSize(uint16_t(len));
    if (at + len < total || originalHasMore) {
      h.SetMoreFragments();
    } else {
      h.SetLastFragment();
    }
    piece->AddHeader(h);
    pieces.push_back(piece);
  }
  return pieces;
}

void SetDontFragment(Ptr<Packet> ipPacket, bool dontFragment, bool headerChecksum) {
  Ipv4Header ip;
  ipPacket->RemoveHeader(ip);
  if (headerChecksum) ip.EnableChecksum();
  if (dontFragment) {
    ip.SetDontFragment();
  } else {
    ip.SetMayFragment();
  }
  ipPacket->AddHeader(ip);
}

}  // namespace ipsecsim::sim
