// What a Linux node's IPv4 output does that ns-3's does not (net/ipv4/route.c,
// net/ipv4/ip_output.c; docs/architecture.md cites the lines):
// - a per-destination path-MTU cache fed by ICMP "fragmentation needed"
//   (__ip_rt_update_pmtu): it only ever lowers the route's MTU, never below
//   ip_rt_min_pmtu (552; a smaller announcement locks the route at 552 and
//   DF is no longer set on it), and an entry expires ip_rt_mtu_expires
//   (600 s) after it was learned;
// - DF under IP_PMTUDISC_WANT, every socket's default (inet_create): TCP
//   segments always carry it (ip_queue_xmit), a UDP or ICMP datagram when it
//   fits the route's MTU (__ip_make_skb);
// - local fragmentation at the route's MTU, the cached one included
//   (ip_fragment), where ns-3 fragments at the device's MTU only;
// - the IPv4 header checksum of every packet and fragment it passes
//   (ip_send_check in __ip_local_out and ip_do_fragment), which ns-3 leaves
//   zero with its own checksums off.
// One object per IPv4 stack (pod or host), aggregated to its node; the node's
// links (OvnNode) call Output for what the stack sends and Inspect for what
// it receives.
#pragma once

#include <ns3/ipv4-address.h>
#include <ns3/nstime.h>
#include <ns3/object.h>
#include <ns3/packet.h>
#include <ns3/traced-callback.h>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace ipsecsim::sim {

constexpr uint32_t kIpRtMinPmtu = 512 + 20 + 20;  // net.ipv4.route.min_pmtu
constexpr double kIpRtMtuExpiresSeconds = 600;    // net.ipv4.route.mtu_expires

class LinuxIpv4Output : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId();

  // The MTU of the link a destination leaves on: the default link's, or that
  // of the most specific network added.
  void SetLinkMtu(uint32_t mtu) { defaultLinkMtu_ = mtu; }
  void AddLink(ns3::Ipv4Address network, ns3::Ipv4Mask mask, uint32_t mtu);
  uint32_t LinkMtu(ns3::Ipv4Address destination) const;
  // The route's MTU: the link's, lowered by an unexpired cache entry.
  uint32_t RouteMtu(ns3::Ipv4Address destination) const;
  // What a socket sees as the route's MTU: through an IPsec policy that
  // protects the traffic, the MTU of the xfrm bundle (xfrm_mtu, which TCP's
  // MSS follows), as `bundleMtu` tells; RouteMtu otherwise.
  uint32_t SocketRouteMtu(ns3::Ipv4Address destination) const {
    const uint32_t mtu = RouteMtu(destination);
    return bundleMtu_ ? bundleMtu_(destination, mtu) : mtu;
  }
  void SetBundleMtu(std::function<uint32_t(ns3::Ipv4Address, uint32_t)> bundleMtu) {
    bundleMtu_ = std::move(bundleMtu);
  }
  // What ICMP "fragmentation needed" for a packet to `destination` teaches.
  void LearnPathMtu(ns3::Ipv4Address destination, uint32_t nextHopMtu);
  // An IPv4 packet the stack is about to receive: ICMP "fragmentation
  // needed" feeds the cache with the quoted packet's destination.
  void Inspect(ns3::Ptr<const ns3::Packet> ipPacket);
  // The packets the link carries for one IPv4 packet the stack sends: the
  // packet with DF as the socket's IP_PMTUDISC_WANT decides, or its
  // fragments at the route's MTU; none for a DF packet (TCP) that no longer
  // fits, which ip_fragment drops.
  std::vector<ns3::Ptr<ns3::Packet>> Output(ns3::Ptr<const ns3::Packet> ipPacket);

  uint64_t LocalDfDrops() const { return localDfDrops_; }
  // Off leaves the header checksums zero (OvnNode::SetChecksums).
  void SetHeaderChecksums(bool computed) { headerChecksums_ = computed; }

  typedef void (*PathMtuTracedCallback)(ns3::Ipv4Address destination, uint32_t mtu);

 private:
  struct CachedMtu {
    uint32_t mtu;
    bool locked;  // announced below ip_rt_min_pmtu: no DF on this route
    ns3::Time expires;
  };
  const CachedMtu* Cached(ns3::Ipv4Address destination) const;

  uint32_t defaultLinkMtu_ = 1500;
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> links_;  // (mask, network) -> MTU
  std::map<uint32_t, CachedMtu> cache_;
  uint64_t localDfDrops_ = 0;
  bool headerChecksums_ = true;
  std::function<uint32_t(ns3::Ipv4Address, uint32_t)> bundleMtu_;
  ns3::TracedCallback<ns3::Ipv4Address, uint32_t> pathMtuTrace_;
};

}  // namespace ipsecsim::sim
