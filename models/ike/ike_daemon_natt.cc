// IkeDaemon: NAT traversal (RFC 7296 §2.23, RFC 3948).
//
// Receiving on UDP 4500: the node's XfrmStack owns UDP 4500 like the
// kernel's encapsulation socket. It decapsulates ESP itself, drops
// keepalives, and hands IKE messages (non-ESP marker) of either IP version
// to OnNattIke (set by Start). The daemon's own UDP 4500 sockets are only
// used to send, so their source port is 4500; nothing reaches them while the
// handler is set.
//
// Who floats: the initiator, once IKE_SA_INIT showed a NAT on either side
// or encapsulation is forced; the responder follows when a message arrives
// on 4500 and from then on answers and sends to the address and port it came
// from (the NAT's mapping).
#include "ike_daemon.h"
#include "ns3/inet-socket-address.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "udp_encap.h"

namespace ipsecsim::ike {
namespace {

constexpr size_t kMarkerLen = 4;
constexpr uint8_t kKeepaliveByte = 0xff;  // RFC 3948 §2.3

std::string EndpointText(Endpoint e) { return e.address.ToString() + ":" + std::to_string(e.port); }

}  // namespace

void IkeDaemon::OnNattIke(ns3::Ptr<ns3::Packet> packet, const ns3::Address& src,
                          const ns3::Address& dst, uint16_t srcPort, uint16_t /*dstPort*/) {
  if (packet->GetSize() < kMarkerLen) return;
  Bytes datagram(packet->GetSize());
  packet->CopyData(datagram.data(), datagram.size());
  datagram.erase(datagram.begin(), datagram.begin() + kMarkerLen);
  Receive(std::move(datagram), Endpoint{IpAddressOf(src), srcPort}, IpAddressOf(dst), true);
}

bool IkeDaemon::ForcesEncapsulation(const IpAddress& remoteAddress) const {
  if (m_forceEncapsulation) return true;
  auto names = m_connectionsByRemote.find(remoteAddress);
  if (names == m_connectionsByRemote.end()) return false;
  for (const std::string& name : names->second)
    if (m_connections.at(name).config.forceEncapsulation) return true;
  return false;
}

bool IkeDaemon::BehindNat(const IkeSa& sa) const {
  // Libreswan treats encapsulation=yes as "this end is behind a NAT" too.
  return sa.Context().natDetectedLocal || ForcesEncapsulation(sa.Context().remote.address);
}

bool IkeDaemon::Floated(const IkeSa& sa) { return sa.Context().local.port == xfrm::kNattPort; }

void IkeDaemon::FloatIfNatted(SaSlot& slot) {
  IkeSa& sa = *slot.sa;
  const IkeSaContext& ctx = sa.Context();
  if (!ctx.initiator || !ctx.keys || Floated(sa) || sa.State() == IkeSaState::kFailed) return;
  const bool forced = ForcesEncapsulation(ctx.remote.address);
  if (!ctx.natDetectedLocal && !ctx.natDetectedRemote && !forced) return;
  sa.MoveEndpoints(Endpoint{ctx.local.address, xfrm::kNattPort},
                   Endpoint{ctx.remote.address, xfrm::kNattPort});
  ++m_counters.nattFloats;
  const char* why = ctx.natDetectedLocal    ? "this end is behind a NAT"
                    : ctx.natDetectedRemote ? "the peer is behind a NAT"
                                            : "encapsulation forced";
  m_log.push_back(LogLine(slot.connection + ": " + why + ", floating to UDP 4500"));
}

void IkeDaemon::FollowPeer(SaSlot& slot, Endpoint from, IpAddress localAddress) {
  IkeSa& sa = *slot.sa;
  const IkeSaContext& ctx = sa.Context();
  const bool floated = Floated(sa);
  if (floated && ctx.remote.address == from.address && ctx.remote.port == from.port) return;
  if (localAddress.IsUnspecified()) localAddress = ctx.local.address;
  sa.MoveEndpoints(Endpoint{localAddress, xfrm::kNattPort}, from);
  if (!floated) ++m_counters.nattFloats;
  // A later change is a new NAT mapping; installed Child SAs keep their
  // ports (not modelled: MOBIKE / mapping updates of the kernel states).
  m_log.push_back(
      LogLine(std::string(floated ? "peer's NAT mapping moved to " : "peer floated from ") +
              EndpointText(from)));
}

std::optional<xfrm::UdpEncap> IkeDaemon::EncapFor(const IkeSa& sa, bool inbound) const {
  if (!Floated(sa)) return std::nullopt;
  const uint16_t local = sa.Context().local.port, remote = sa.Context().remote.port;
  return inbound ? xfrm::UdpEncap{remote, local} : xfrm::UdpEncap{local, remote};
}

void IkeDaemon::ScheduleKeepalive(SaSlot& slot) {
  if (!m_nattKeepaliveInterval.IsStrictlyPositive() || slot.keepalive.IsRunning() ||
      !Floated(*slot.sa) || !BehindNat(*slot.sa))
    return;
  slot.keepalive = ns3::Simulator::Schedule(m_nattKeepaliveInterval, &IkeDaemon::KeepaliveTick,
                                            this, slot.sa->LocalSpi());
}

void IkeDaemon::KeepaliveTick(uint64_t localSpi) {
  auto it = m_sas.find(localSpi);
  if (it == m_sas.end() || it->second.deleting) return;
  if (SendUdp(Bytes{kKeepaliveByte}, it->second.sa->Context().remote, true))
    ++m_counters.nattKeepalivesSent;
  it->second.keepalive =
      ns3::Simulator::Schedule(m_nattKeepaliveInterval, &IkeDaemon::KeepaliveTick, this, localSpi);
}

}  // namespace ipsecsim::ike
