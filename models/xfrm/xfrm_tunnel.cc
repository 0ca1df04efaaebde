// XfrmStack's tunnel mode (RFC 4303 §3.1.2): the inner IP header, the outer
// one Linux builds (xfrm4_tunnel_encap_add / xfrm6_tunnel_encap_add,
// net/xfrm/xfrm_output.c), and on input the checks, the stripping and the
// re-injection of the inner packet (xfrm_input, xfrm4/6_remove_tunnel_encap,
// net/xfrm/xfrm_input.c; __xfrm_policy_check, net/xfrm/xfrm_policy.c).
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/socket.h"
#include "packet_bytes.h"
#include "xfrm_stack.h"

namespace ipsecsim::xfrm {

using ns3::Ptr;

namespace {
constexpr uint8_t kDefaultTtl = 64;  // net.ipv4.ip_default_ttl, net.ipv6.conf.*.hop_limit
constexpr uint16_t kEtherTypeIpv4 = 0x0800;
constexpr uint16_t kEtherTypeIpv6 = 0x86DD;
}  // namespace

IpFields XfrmStack::InnerIpFields(const HeldPacket& packet) {
  IpFields f;
  f.ttl = kDefaultTtl;
  const Ptr<ns3::Packet>& p = packet.packet;
  uint32_t mtu = 0;
  if (packet.ipv6) {
    ns3::SocketIpv6TclassTag tclass;
    if (p->PeekPacketTag(tclass)) f.dsField = tclass.GetTclass();
    ns3::SocketIpv6HopLimitTag hops;
    if (p->PeekPacketTag(hops)) f.ttl = hops.GetHopLimit();
    // For an outer IPv4 header: xfrm6_extract_header gives an IPv6 inner
    // packet frag_off IP_DF (assumption: recalled, net/xfrm/xfrm_inout.h not read).
    f.dontFragment = true;
    return f;
  }
  ns3::SocketIpTosTag tos;
  if (p->PeekPacketTag(tos)) f.dsField = tos.GetTos();
  ns3::SocketIpTtlTag ttl;
  if (p->PeekPacketTag(ttl)) f.ttl = ttl.GetTtl();
  if (packet.route && packet.route->GetOutputDevice())
    mtu = packet.route->GetOutputDevice()->GetMtu();
  // IP_PMTUDISC_WANT (docs/linux-datapath.md): TCP always sets DF, UDP and
  // ICMP when the datagram fits the route's MTU.
  f.dontFragment =
      packet.protocol == kProtoTcp || p->GetSize() + kIpv4HeaderLen <= (mtu ? mtu : 65535u);
  // ip_select_ident (include/net/ip.h): 0 under DF without a connected socket.
  // Assumption: the sockets' own counters are not modelled; every DF packet gets 0.
  f.id = f.dontFragment ? 0 : m_tunnelIpId++;
  return f;
}

void XfrmStack::ProtectTunnel(State* state, const HeldPacket& packet) {
  TunnelHeaders headers;
  headers.inner = InnerIpFields(packet);
  headers.outer = FlowTuple::Between(state->config.src, state->config.dst);
  const TunnelFlags flags = state->config.flags;
  const std::optional<uint8_t> protocol = Seal(state, packet.packet, packet.Flow(), &headers);
  if (!protocol) return;  // counted; the state may be gone from here on
  SendTunnel(packet.packet, headers, *protocol, flags);
}

void XfrmStack::SendTunnel(Ptr<ns3::Packet> p, const TunnelHeaders& headers, uint8_t protocol,
                           const TunnelFlags& flags) {
  const uint8_t ds = OuterDsField(headers.inner.dsField, flags);
  if (headers.outer.ipv6) {
    ns3::SocketIpv6TclassTag tclass;
    p->RemovePacketTag(tclass);
    tclass.SetTclass(ds);
    p->AddPacketTag(tclass);
    ++m_stats.outProtected;
    m_ipv6->Send(p, headers.outer.src6, headers.outer.dst6, protocol, nullptr);
    return;
  }
  ns3::Ipv4Header outer;
  outer.SetSource(headers.outer.src);
  outer.SetDestination(headers.outer.dst);
  outer.SetProtocol(protocol);
  outer.SetPayloadSize(uint16_t(p->GetSize()));
  outer.SetTtl(kDefaultTtl);  // ip4_dst_hoplimit of the route to the peer
  outer.SetTos(ds);
  // The outer DF is the inner one unless nopmtudisc.
  const bool df = !flags.noPmtuDisc && headers.inner.dontFragment;
  if (df) {
    outer.SetDontFragment();
  } else {
    outer.SetMayFragment();
  }
  outer.SetIdentification(df ? 0 : m_tunnelIpId++);
  Ptr<ns3::Ipv4RoutingProtocol> routing = m_ipv4->GetRoutingProtocol();
  ns3::Socket::SocketErrno error;
  Ptr<ns3::Ipv4Route> route = routing ? routing->RouteOutput(p, outer, nullptr, error) : nullptr;
  if (!route) {
    // xfrm_bundle_create fails without a route to the peer. Assumption:
    // counted as XfrmOutError, as the kernel counts no xfrm_stat line for it.
    m_counters.Increment(XfrmStat::kOutError);
    return;
  }
  ++m_stats.outProtected;
  m_ipv4->SendWithHeader(p, outer, route);
}

void XfrmStack::Decapsulate(Ptr<ns3::Packet> p, State* state, uint8_t* payload, size_t len,
                            uint8_t nextHeader, uint8_t outerDsField, Ptr<ns3::NetDevice> device) {
  const TunnelFlags flags = state->config.flags;
  const uint32_t reqid = state->config.reqid;
  const ns3::Address src = state->config.src, dst = state->config.dst;
  Account(state, len);  // may delete the state
  // xfrm_prepare_input / xfrm_inner_mode_encap_remove: anything but an IP
  // packet of the family the next header names is XfrmInStateModeError.
  const std::optional<InnerPacket> inner = ParseInnerPacket(nextHeader, payload, len);
  if (!inner) {
    m_counters.Increment(XfrmStat::kInStateModeError);
    return;
  }
  DecapsulateDsField(payload, *inner, outerDsField, flags);
  if (!TunnelPolicyAccepts(inner->flow, reqid, src, dst)) return;  // counted
  ReplacePacketBytes(p, payload, inner->length);
  ++m_stats.inDecrypted;
  Reinject(p, inner->flow.ipv6, device);
}

// __xfrm_policy_check with a tunnel-mode SA in the secpath: no policy
// (XfrmInNoPols) or one without a matching tunnel template
// (secpath_has_nontransport, xfrm_policy_ok: XfrmInTmplMismatch) rejects it.
bool XfrmStack::TunnelPolicyAccepts(const FlowTuple& inner, uint32_t reqid, const ns3::Address& src,
                                    const ns3::Address& dst) {
  const PolicyEntry* entry = m_spd.Lookup(Direction::kIn, inner);
  if (!entry) {
    m_counters.Increment(XfrmStat::kInNoPols);
    return false;
  }
  if (entry->policy.action == PolicyAction::kDiscard) {
    m_counters.Increment(XfrmStat::kInPolBlock);
    return false;
  }
  const SaTemplate& tmpl = entry->policy.tmpl;
  const bool matches = entry->policy.action == PolicyAction::kProtect &&
                       tmpl.mode == XfrmMode::kTunnel && (tmpl.reqid == 0 || tmpl.reqid == reqid) &&
                       (tmpl.peer.IsInvalid() || tmpl.peer == src) &&
                       (tmpl.local.IsInvalid() || tmpl.local == dst);
  if (!matches) m_counters.Increment(XfrmStat::kInTmplMismatch);
  return matches;
}

// The inner packet goes through IP input again, as xfrm_input hands it back
// to the stack after stripping the outer header (gro_cells_receive).
void XfrmStack::Reinject(Ptr<ns3::Packet> inner, bool ipv6, Ptr<ns3::NetDevice> device) {
  const bool known = ipv6 ? (m_ipv6 && m_ipv6->GetInterfaceForDevice(device) >= 0)
                          : m_ipv4->GetInterfaceForDevice(device) >= 0;
  if (!known) {  // no stack of the inner family on this device
    m_counters.Increment(XfrmStat::kInStateModeError);
    return;
  }
  m_reinjecting = true;
  if (ipv6) {
    m_ipv6->Receive(device, inner, kEtherTypeIpv6, device->GetAddress(), device->GetAddress(),
                    ns3::NetDevice::PACKET_HOST);
  } else {
    m_ipv4->Receive(device, inner, kEtherTypeIpv4, device->GetAddress(), device->GetAddress(),
                    ns3::NetDevice::PACKET_HOST);
  }
  m_reinjecting = false;
}

}  // namespace ipsecsim::xfrm
