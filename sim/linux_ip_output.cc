#include "linux_ip_output.h"

#include <ns3/ipv4-header.h>
#include <ns3/simulator.h>

#include "underlay_egress.h"

namespace ipsecsim::sim {

using namespace ns3;

namespace {
constexpr uint8_t kIcmp = 1, kTcp = 6;
constexpr uint8_t kDestinationUnreachable = 3, kFragmentationNeeded = 4;
constexpr size_t kIcmpHeader = 8;
}  // namespace

TypeId LinuxIpv4Output::GetTypeId() {
  static TypeId tid =
      TypeId("ipsecsim::sim::LinuxIpv4Output")
          .SetParent<Object>()
          .SetGroupName("Ipsecsim")
          .AddConstructor<LinuxIpv4Output>()
          .AddTraceSource("PathMtu", "The path MTU cached for a destination changed.",
                          MakeTraceSourceAccessor(&LinuxIpv4Output::pathMtuTrace_),
                          "ipsecsim::sim::LinuxIpv4Output::PathMtuTracedCallback");
  return tid;
}

void LinuxIpv4Output::AddLink(Ipv4Address network, Ipv4Mask mask, uint32_t mtu) {
  links_[{mask.Get(), network.CombineMask(mask).Get()}] = mtu;
}

uint32_t LinuxIpv4Output::LinkMtu(Ipv4Address destination) const {
  // The map orders masks ascending, so the last match is the most specific.
  uint32_t mtu = defaultLinkMtu_;
  for (const auto& [key, linkMtu] : links_) {
    if ((destination.Get() & key.first) == key.second) mtu = linkMtu;
  }
  return mtu;
}

const LinuxIpv4Output::CachedMtu* LinuxIpv4Output::Cached(Ipv4Address destination) const {
  auto it = cache_.find(destination.Get());
  if (it == cache_.end() || Simulator::Now() >= it->second.expires) return nullptr;
  return &it->second;
}

uint32_t LinuxIpv4Output::RouteMtu(Ipv4Address destination) const {
  const uint32_t link = LinkMtu(destination);
  const CachedMtu* cached = Cached(destination);
  return cached ? std::min(link, cached->mtu) : link;
}

void LinuxIpv4Output::LearnPathMtu(Ipv4Address destination, uint32_t nextHopMtu) {
  const uint32_t old = RouteMtu(destination);
  if (old < nextHopMtu) return;
  bool locked = false;
  uint32_t mtu = nextHopMtu;
  if (mtu < kIpRtMinPmtu) {
    locked = true;
    mtu = std::min(old, kIpRtMinPmtu);
  }
  cache_[destination.Get()] =
      CachedMtu{mtu, locked, Simulator::Now() + Seconds(kIpRtMtuExpiresSeconds)};
  pathMtuTrace_(destination, mtu);
}

void LinuxIpv4Output::Inspect(Ptr<const Packet> ipPacket) {
  uint8_t b[20 + kIcmpHeader + 20] = {};
  if (ipPacket->GetSize() < sizeof b) return;
  ipPacket->CopyData(b, sizeof b);
  const size_t ihl = size_t(b[0] & 0xF) * 4;
  const bool firstFragment = (b[6] & 0x1F) == 0 && b[7] == 0;
  if (b[0] >> 4 != 4 || ihl != 20 || b[9] != kIcmp || !firstFragment) return;
  const uint8_t* icmp = b + ihl;
  if (icmp[0] != kDestinationUnreachable || icmp[1] != kFragmentationNeeded) return;
  const uint32_t nextHopMtu = uint32_t(icmp[6] << 8 | icmp[7]);
  const uint8_t* quoted = icmp + kIcmpHeader;
  const uint32_t quotedDestination = uint32_t(quoted[16]) << 24 | uint32_t(quoted[17]) << 16 |
                                     uint32_t(quoted[18]) << 8 | quoted[19];
  LearnPathMtu(Ipv4Address(quotedDestination), nextHopMtu);
}

std::vector<Ptr<Packet>> LinuxIpv4Output::Output(Ptr<const Packet> ipPacket) {
  Ipv4Header ip;
  ipPacket->PeekHeader(ip);
  const uint32_t mtu = RouteMtu(ip.GetDestination());
  const CachedMtu* cached = Cached(ip.GetDestination());
  const bool lockedRoute = cached && cached->locked;
  Ptr<Packet> packet = ipPacket->Copy();
  const bool fragment = !ip.IsLastFragment() || ip.GetFragmentOffset() != 0;
  // ns-3 cut a datagram larger than the device: it never had DF.
  if (fragment) {
    SetDontFragment(packet, false, headerChecksums_);
    return FitToMtu(packet, mtu, headerChecksums_);
  }
  const bool fits = packet->GetSize() <= mtu;
  const bool tcp = ip.GetProtocol() == kTcp;
  const bool dontFragment = !lockedRoute && (tcp || fits);
  SetDontFragment(packet, dontFragment, headerChecksums_);
  if (fits) return {packet};
  if (dontFragment) {
    ++localDfDrops_;
    return {};
  }
  return FitToMtu(packet, mtu, headerChecksums_);
}

}  // namespace ipsecsim::sim
