#include "xfrm_stack.h"

#include <type_traits>

#include "checksum_offload.h"
#include "internet_checksum.h"
#include "l4_hooks.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"
#include "packet_bytes.h"
#include "udp_encap.h"
#include "xfrm_stat_format.h"

NS_LOG_COMPONENT_DEFINE("XfrmStack");

namespace ipsecsim::xfrm {

using ns3::Ipv4Address;
using ns3::Packet;
using ns3::Ptr;

NS_OBJECT_ENSURE_REGISTERED(XfrmStack);

namespace {
// Free bytes kept in front of an outgoing ESP packet for the headers below
// xfrm: IPv4 and a link layer, with room to spare for tunnel encapsulations.
constexpr size_t kOuterHeadroom = 128;
}  // namespace

ns3::TypeId XfrmStack::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("ipsecsim::xfrm::XfrmStack")
          .SetParent<ns3::Object>()
          .SetGroupName("Ipsecsim")
          .AddConstructor<XfrmStack>()
          .AddAttribute("HoldUntilSa",
                        "Hold packets that hit a protect policy without SA until the SA is "
                        "added (true), or drop them with XfrmOutNoStates like the kernel's "
                        "default xfrm_larval_drop=1 (false).",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&XfrmStack::m_holdUntilSa),
                        ns3::MakeBooleanChecker())
          .AddAttribute(
              "HoldQueueLimit", "Packets the hold queue keeps, for all policies.",
              ns3::UintegerValue(32),
              ns3::MakeUintegerAccessor(&XfrmStack::SetHoldLimit, &XfrmStack::GetHoldLimit),
              ns3::MakeUintegerChecker<uint32_t>())
          .AddAttribute("SeqivSeed",
                        "Seed of the per-SA salts seqiv XORs into the IVs (the kernel draws "
                        "each from its RNG); 0 sends the bare sequence number as IV.",
                        ns3::UintegerValue(0), ns3::MakeUintegerAccessor(&XfrmStack::m_seqivSeed),
                        ns3::MakeUintegerChecker<uint64_t>())
          .AddAttribute("AcquireTimeout",
                        "How long an acquire stays pending (net.core.xfrm_acq_expires); "
                        "held packets are dropped when it ends without an SA.",
                        ns3::TimeValue(ns3::Seconds(30)),
                        ns3::MakeTimeAccessor(&XfrmStack::m_acquireTimeout), ns3::MakeTimeChecker())
          .AddTraceSource("Acquire", "A protect policy matched a packet and no SA exists.",
                          ns3::MakeTraceSourceAccessor(&XfrmStack::m_acquireTrace),
                          "ipsecsim::xfrm::XfrmStack::AcquireTracedCallback")
          .AddTraceSource("Expire", "A state reached its soft or hard lifetime.",
                          ns3::MakeTraceSourceAccessor(&XfrmStack::m_expireTrace),
                          "ipsecsim::xfrm::XfrmStack::ExpireTracedCallback")
          .AddTraceSource("StateAdded", "A state was installed (XFRM_MSG_NEWSA).",
                          ns3::MakeTraceSourceAccessor(&XfrmStack::m_stateAddedTrace),
                          "ipsecsim::xfrm::XfrmStack::StateTracedCallback")
          .AddTraceSource("StateDeleted",
                          "A state was removed: deleted, flushed or hard expired "
                          "(XFRM_MSG_DELSA).",
                          ns3::MakeTraceSourceAccessor(&XfrmStack::m_stateDeletedTrace),
                          "ipsecsim::xfrm::XfrmStack::StateTracedCallback")
          .AddTraceSource("Changed", "A state or a policy was added or removed.",
                          ns3::MakeTraceSourceAccessor(&XfrmStack::m_changedTrace),
                          "ns3::TracedCallback::Void")
          .AddTraceSource("Sealed",
                          "An outbound packet was sealed with ESP: its state's sequence "
                          "number moved on.",
                          ns3::MakeTraceSourceAccessor(&XfrmStack::m_sealedTrace),
                          "ipsecsim::xfrm::XfrmStack::SealedTracedCallback")
          .AddTraceSource("Deliver",
                          "A segment handed to an L4 protocol, with the IPv4 header it was "
                          "delivered with and whether it arrived as ESP.",
                          ns3::MakeTraceSourceAccessor(&XfrmStack::m_deliverTrace),
                          "ipsecsim::xfrm::XfrmStack::DeliverTracedCallback");
  return tid;
}

XfrmStack::XfrmStack() = default;
XfrmStack::~XfrmStack() = default;

void XfrmStack::SetHoldLimit(uint32_t limit) { m_held.SetLimit(limit); }
uint32_t XfrmStack::GetHoldLimit() const { return uint32_t(m_held.Limit()); }

void XfrmStack::Attach(Ptr<ns3::Node> node) {
  m_ipv4 = node->GetObject<ns3::Ipv4L3Protocol>();
  NS_ABORT_MSG_IF(!m_ipv4, "ipsecsim xfrm: install the internet stack before XfrmStack");
  NS_ABORT_MSG_IF(!m_realL4.empty(), "ipsecsim xfrm: XfrmStack attached twice");
  for (uint8_t protocol : {kProtoIcmp, kProtoTcp, kProtoUdp}) {
    Ptr<ns3::IpL4Protocol> real = m_ipv4->GetProtocol(protocol);
    if (!real) continue;
    m_realL4[protocol] = real;
    m_lowerTargets[protocol] = real->GetDownTarget();
    real->SetDownTarget(ns3::MakeCallback(&XfrmStack::SendFromL4, this));
    Ptr<PolicyCheckedL4> wrapper = ns3::CreateObject<PolicyCheckedL4>(real, this);
    m_ipv4->Remove(real);
    m_ipv4->Insert(wrapper);
    // Ipv4L3Protocol::GetIcmp() does GetProtocol(1)->GetObject<Icmpv4L4Protocol>():
    // the ICMP wrapper must share the node's aggregate to answer it.
    if (protocol == kProtoIcmp) node->AggregateObject(wrapper);
    m_wrappers[protocol] = wrapper;
  }
  m_espProtocol = ns3::CreateObject<EspL4Protocol>(this);
  m_ipv4->Insert(m_espProtocol);
  m_fillsChecksums = node->GetObject<ChecksumOffload>() != nullptr;
  AttachIpv6(node);
}

void XfrmStack::AttachIpv6(Ptr<ns3::Node> node) {
  m_ipv6 = node->GetObject<ns3::Ipv6L3Protocol>();
  if (!m_ipv6) return;
  for (uint8_t protocol : {kProtoTcp, kProtoUdp}) {
    auto it = m_realL4.find(protocol);
    if (it == m_realL4.end()) continue;
    Ptr<ns3::IpL4Protocol> real = it->second;
    m_lowerTargets6[protocol] = real->GetDownTarget6();
    real->SetDownTarget6(ns3::MakeCallback(&XfrmStack::SendFromL4v6, this));
    m_ipv6->Remove(real);
    m_ipv6->Insert(m_wrappers.at(protocol));
  }
  m_ipv6->Insert(m_espProtocol);
}

void XfrmStack::DoDispose() {
  // The object goes away with the simulation: nothing is announced.
  for (auto& state : m_sad.Flush()) CancelTimers(*state);
  for (auto& [key, event] : m_pendingAcquires) event.Cancel();
  m_pendingAcquires.clear();
  m_held.TakeAll();
  m_wrappers.clear();
  m_realL4.clear();
  m_lowerTargets.clear();
  m_lowerTargets6.clear();
  m_espProtocol = nullptr;
  m_ipv4 = nullptr;
  m_ipv6 = nullptr;
  m_ikeHandler = NattIkeHandler();
  ns3::Object::DoDispose();
}

void XfrmStack::SetLowerTarget(uint8_t protocol, ns3::IpL4Protocol::DownTargetCallback target) {
  m_lowerTargets[protocol] = target;
}

void XfrmStack::SetLowerTarget6(uint8_t protocol, ns3::IpL4Protocol::DownTargetCallback6 target) {
  m_lowerTargets6[protocol] = target;
}

// ---------------------------------------------------------------- configuration

PolicyId XfrmStack::AddPolicy(const Policy& policy) {
  const PolicyId id = m_spd.Add(policy);
  m_changedTrace();
  return id;
}

bool XfrmStack::DeletePolicy(PolicyId id) {
  if (!m_spd.Remove(id)) return false;
  m_changedTrace();
  m_stats.heldDiscarded += m_held.RemoveIf([id](const HeldPacket& h) { return h.policy == id; });
  for (auto it = m_pendingAcquires.begin(); it != m_pendingAcquires.end();) {
    if (std::get<0>(it->first) == id) {
      it->second.Cancel();
      it = m_pendingAcquires.erase(it);
    } else {
      ++it;
    }
  }
  return true;
}

void XfrmStack::FlushPolicies() {
  m_spd.Flush();
  m_changedTrace();
  m_stats.heldDiscarded += m_held.TakeAll().size();
  for (auto& [key, event] : m_pendingAcquires) event.Cancel();
  m_pendingAcquires.clear();
}

bool XfrmStack::AddState(const StateConfig& config, std::string* error) {
  std::string why;
  StateConfig salted = config;
  if (m_seqivSeed != 0 && salted.ivSalt == 0) {
    uint8_t dst[ns3::Address::MAX_SIZE] = {};
    const uint32_t len = config.dst.CopyTo(dst);
    uint64_t folded = 0;
    for (uint32_t i = 0; i < len; ++i) folded = folded * 131 + dst[i];
    salted.ivSalt = esp::SeqivSalt(m_seqivSeed, config.spi, folded);
  }
  State* state = m_sad.Add(salted, ns3::Simulator::Now(), &why);
  if (!state) {
    NS_LOG_WARN(why);
    if (error) *error = why;
    return false;
  }
  m_stateAddedTrace(state->config);
  m_changedTrace();
  const SadKey key{config.spi, config.dst, config.protocol};
  const Lifetime& life = config.lifetime;
  if (life.softTime.IsStrictlyPositive()) {
    state->softTimer = ns3::Simulator::Schedule(life.softTime, &XfrmStack::SoftExpire, this, key);
  }
  if (life.hardTime.IsStrictlyPositive()) {
    state->hardTimer = ns3::Simulator::Schedule(life.hardTime, &XfrmStack::HardExpire, this, key);
  }
  ReleaseHeld();
  return true;
}

bool XfrmStack::DeleteState(uint32_t spi, const ns3::Address& dst, uint8_t protocol) {
  std::unique_ptr<State> removed = m_sad.Remove(SadKey{spi, dst, protocol});
  if (!removed) return false;
  DropState(std::move(removed));
  return true;
}

void XfrmStack::FlushStates() {
  for (auto& state : m_sad.Flush()) DropState(std::move(state));
}

void XfrmStack::CancelTimers(State& state) {
  state.softTimer.Cancel();
  state.hardTimer.Cancel();
}

void XfrmStack::DropState(std::unique_ptr<State> state) {
  CancelTimers(*state);
  m_stateDeletedTrace(state->config);
  m_changedTrace();
}

void XfrmStack::Flush() {
  FlushStates();
  FlushPolicies();
}

std::string XfrmStack::FormatXfrmStat() const { return xfrm::FormatXfrmStat(m_counters); }

// ---------------------------------------------------------------- lifetimes

void XfrmStack::Account(State* state, uint64_t bytes) {
  state->bytes += bytes;
  ++state->packets;
  const Lifetime& life = state->config.lifetime;
  const bool soft = life.softBytes != 0 && !state->softExpired && state->bytes >= life.softBytes;
  const bool hard = life.hardBytes != 0 && state->bytes >= life.hardBytes;
  if (!soft && !hard) return;
  const SadKey key{state->config.spi, state->config.dst, state->config.protocol};
  if (soft) SoftExpire(key);
  if (hard) HardExpire(key);
}

void XfrmStack::SoftExpire(SadKey key) {
  State* state = m_sad.FindInbound(key.spi, key.dst, key.protocol);
  if (!state || state->softExpired) return;
  state->softExpired = true;
  state->softTimer.Cancel();
  m_expireTrace(ExpireEvent{key.spi, state->config.src, key.dst, state->config.reqid, false});
}

void XfrmStack::HardExpire(SadKey key) {
  std::unique_ptr<State> state = m_sad.Remove(key);
  if (!state) return;
  const ExpireEvent event{key.spi, state->config.src, key.dst, state->config.reqid, true};
  DropState(std::move(state));
  m_expireTrace(event);
}

// ---------------------------------------------------------------- outbound

void XfrmStack::SendFromL4(Ptr<Packet> segment, Ipv4Address src, Ipv4Address dst, uint8_t protocol,
                           Ptr<ns3::Ipv4Route> route) {
  Output(HeldPacket{segment, src, dst, protocol, route, 0}, false);
}

void XfrmStack::Output(const HeldPacket& packet, bool fromQueue) {
  FlowTuple flow = packet.Flow();
  uint8_t head[4];
  ReadPorts(packet.protocol, head, packet.packet->CopyData(head, sizeof head), &flow);

  const PolicyEntry* entry =
      SocketAllowed(flow, true) ? nullptr : m_spd.Lookup(Direction::kOut, flow);
  if (!entry || entry->policy.action == PolicyAction::kBypass) {
    SendClear(packet);
    return;
  }
  if (entry->policy.action == PolicyAction::kDiscard) {
    m_counters.Increment(XfrmStat::kOutPolBlock);
    return;
  }
  State* state = FindOutboundState(*entry, flow);
  if (!state) {
    HeldPacket held = packet;
    held.policy = entry->id;
    Trap(*entry, flow, held);
    return;
  }
  if (fromQueue) ++m_stats.heldReleased;
  Protect(state, packet);
}

XfrmStack::OutboundDecision XfrmStack::DecideOutbound(const FlowTuple& flow) const {
  using Kind = OutboundDecision::Kind;
  const PolicyEntry* entry =
      SocketAllowed(flow, true) ? nullptr : m_spd.Lookup(Direction::kOut, flow);
  if (!entry || entry->policy.action == PolicyAction::kBypass) return {Kind::kClear, 0};
  if (entry->policy.action == PolicyAction::kDiscard) return {Kind::kDiscard, 0};
  const State* state = FindOutboundState(*entry, flow);
  if (!state) return {Kind::kNoState, 0};
  return {Kind::kProtected, state->config.spi, state};
}

State* XfrmStack::FindOutboundState(const PolicyEntry& entry, const FlowTuple& flow) const {
  const SaTemplate& tmpl = entry.policy.tmpl;
  if (tmpl.mode == XfrmMode::kTunnel) return m_sad.FindOutbound(tmpl.local, tmpl.peer, tmpl);
  if (flow.ipv6) {
    const ns3::Address peer =
        entry.peer == PolicyEntry::Peer::kDestination ? ns3::Address(flow.dst6) : tmpl.peer;
    return m_sad.FindOutbound(ns3::Address(flow.src6), peer, tmpl);
  }
  switch (entry.peer) {
    case PolicyEntry::Peer::kDestination:
      return m_sad.FindOutbound(flow.src, flow.dst, tmpl);
    case PolicyEntry::Peer::kIpv4:
      return m_sad.FindOutbound(flow.src, *entry.ipv4Peer, tmpl);
    case PolicyEntry::Peer::kOther:
      break;
  }
  return m_sad.FindOutbound(ns3::Address(flow.src), tmpl.peer, tmpl);
}

void XfrmStack::SendClear(const HeldPacket& packet) {
  ++m_stats.outBypassed;
  if (packet.ipv6) {
    auto it = m_lowerTargets6.find(packet.protocol);
    if (it != m_lowerTargets6.end() && !it->second.IsNull()) {
      it->second(packet.packet, packet.src6, packet.dst6, packet.protocol, packet.route6);
    } else {
      m_ipv6->Send(packet.packet, packet.src6, packet.dst6, packet.protocol, packet.route6);
    }
    return;
  }
  auto it = m_lowerTargets.find(packet.protocol);
  if (it != m_lowerTargets.end() && !it->second.IsNull()) {
    it->second(packet.packet, packet.src, packet.dst, packet.protocol, packet.route);
  } else {
    m_ipv4->Send(packet.packet, packet.src, packet.dst, packet.protocol, packet.route);
  }
}

void XfrmStack::Protect(State* state, const HeldPacket& packet) {
  if (state->config.mode == XfrmMode::kTunnel) {
    ProtectTunnel(state, packet);
    return;
  }
  const std::optional<uint8_t> outerProtocol = Seal(state, packet.packet, packet.Flow());
  if (!outerProtocol) return;
  ++m_stats.outProtected;
  if (packet.ipv6) {
    m_ipv6->Send(packet.packet, packet.src6, packet.dst6, *outerProtocol, packet.route6);
  } else {
    m_ipv4->Send(packet.packet, packet.src, packet.dst, *outerProtocol, packet.route);
  }
}

std::optional<uint8_t> XfrmStack::Seal(State* state, Ptr<Packet> p, const FlowTuple& flow,
                                       const TunnelHeaders* tunnel) {
  const std::optional<UdpEncap> encap = state->config.encap;
  const size_t innerHeaderLen = tunnel ? (flow.ipv6 ? kIpv6HeaderLen : kIpv4HeaderLen) : 0;
  const size_t segmentLen = p->GetSize();
  const size_t payloadLen = innerHeaderLen + segmentLen;
  // The scratch buffer is laid out as the final bytes ([UDP header] ESP header,
  // IV, payload, trailer, ICV): the segment is copied in once and sealed where it lies.
  const size_t espOffset = encap ? kUdpHeaderLen : 0;
  Bytes& wire = m_scratch;
  wire.resize(espOffset + esp::SealedLength(payloadLen));
  uint8_t* espPacket = wire.data() + espOffset;
  uint8_t* payload = espPacket + esp::kPayloadOffset;
  uint8_t* segment = payload + innerHeaderLen;
  p->CopyData(segment, uint32_t(segmentLen));
  // xfrm_output's skb_checksum_help: a segment the device would have
  // checksummed is checksummed before the device can no longer see it.
  if (m_fillsChecksums && flow.ipv6) {
    ChecksumOffload::FillBytes(segment, segmentLen, flow.src6, flow.dst6, flow.protocol);
  } else if (m_fillsChecksums) {
    ChecksumOffload::FillBytes(segment, segmentLen, flow.src, flow.dst, flow.protocol);
  }
  uint8_t nextHeader = flow.protocol;
  if (tunnel && flow.ipv6) {
    WriteIpv6Header(payload, flow.src6, flow.dst6, flow.protocol, uint16_t(segmentLen),
                    tunnel->inner);
    nextHeader = kProtoIpv6;
  } else if (tunnel) {
    WriteIpv4Header(payload, flow.src, flow.dst, flow.protocol, uint16_t(payloadLen),
                    tunnel->inner);
    nextHeader = kProtoIpip;
  }
  const std::optional<size_t> espLen =
      state->Outbound().ProtectInPlace(nextHeader, espPacket, payloadLen);
  m_sealedTrace(state->config.spi);
  if (!espLen) {
    m_counters.Increment(XfrmStat::kOutStateSeqError);
    return std::nullopt;
  }
  Account(state, payloadLen);  // may delete the state: do not use it below

  uint8_t outerProtocol = kProtoEsp;
  if (encap) {
    WriteUdpEncapHeader(wire.data(), encap->srcPort, encap->dstPort, *espLen);
    const FlowTuple& outer = tunnel ? tunnel->outer : flow;
    if (outer.ipv6) {
      uint8_t src[16], dst[16];
      outer.src6.GetBytes(src);
      outer.dst6.GetBytes(dst);
      WriteUdpChecksumIpv6(wire.data(), wire.size(), src, dst);
    }
    outerProtocol = kProtoUdp;
  }
  ReplacePacketBytes(p, wire.data(), wire.size(), kOuterHeadroom);
  return outerProtocol;
}

void XfrmStack::SendFromL4v6(Ptr<Packet> segment, ns3::Ipv6Address src, ns3::Ipv6Address dst,
                             uint8_t protocol, Ptr<ns3::Ipv6Route> route) {
  HeldPacket packet{segment, {}, {}, protocol, nullptr, 0};
  packet.ipv6 = true;
  packet.src6 = src;
  packet.dst6 = dst;
  packet.route6 = route;
  Output(packet, false);
}

void XfrmStack::Trap(const PolicyEntry& entry, const FlowTuple& flow, const HeldPacket& packet) {
  const AcquireKey key{entry.id, flow.Source(), flow.Destination()};
  if (!m_pendingAcquires.count(key)) {
    m_pendingAcquires[key] =
        ns3::Simulator::Schedule(m_acquireTimeout, &XfrmStack::AcquireExpired, this, key);
    ++m_stats.acquires;
    m_acquireTrace(AcquireEvent{entry.id, entry.policy, flow});
  }
  if (m_holdUntilSa && m_held.Push(packet)) {
    ++m_stats.outHeld;
    return;
  }
  m_counters.Increment(XfrmStat::kOutNoStates);
}

void XfrmStack::AcquireExpired(AcquireKey key) {
  m_pendingAcquires.erase(key);
  const size_t dropped = m_held.RemoveIf([&key](const HeldPacket& h) {
    const FlowTuple flow = h.Flow();
    return h.policy == std::get<0>(key) && flow.Source() == std::get<1>(key) &&
           flow.Destination() == std::get<2>(key);
  });
  m_counters.Increment(XfrmStat::kOutNoStates, dropped);
}

void XfrmStack::ReleaseHeld() {
  // Acquires whose SA now exists are answered; the others stay pending.
  for (auto it = m_pendingAcquires.begin(); it != m_pendingAcquires.end();) {
    const PolicyEntry* entry = m_spd.Find(std::get<0>(it->first));
    bool answered = true;
    if (entry) {
      const FlowTuple flow = FlowTuple::Between(std::get<1>(it->first), std::get<2>(it->first));
      answered = FindOutboundState(*entry, flow) != nullptr;
    }
    if (answered) {
      it->second.Cancel();
      it = m_pendingAcquires.erase(it);
    } else {
      ++it;
    }
  }
  for (const HeldPacket& held : m_held.TakeAll()) {
    --m_stats.outHeld;  // counted again by Output if it has to wait longer
    Output(held, true);
  }
}

// ---------------------------------------------------------------- inbound

namespace {
FlowTuple FlowOf(const ns3::Ipv4Header& header, uint8_t protocol) {
  return FlowTuple{header.GetSource(), header.GetDestination(), protocol};
}

FlowTuple FlowOf(const ns3::Ipv6Header& header, uint8_t protocol) {
  FlowTuple flow;
  flow.ipv6 = true;
  flow.src6 = header.GetSource();
  flow.dst6 = header.GetDestination();
  flow.protocol = protocol;
  return flow;
}

// esp_input_done2 (net/ipv4/esp4.c) marks what a NAT-T transport-mode state
// decrypts CHECKSUM_UNNECESSARY: a NAT rewrote the outer source that the
// inner UDP/TCP checksum covers. ns-3's receivers always verify, so the
// checksum is recomputed over the addresses it is delivered with.
void AcceptNattTransportChecksum(const ns3::Ipv4Header& outer, uint8_t protocol, uint8_t* payload,
                                 size_t len) {
  const size_t at = protocol == kProtoUdp ? 6 : (protocol == kProtoTcp ? 16 : 0);
  if (at == 0 || len < at + 2 || (payload[at] == 0 && payload[at + 1] == 0)) return;
  uint8_t src[4], dst[4];
  outer.GetSource().Serialize(src);
  outer.GetDestination().Serialize(dst);
  payload[at] = payload[at + 1] = 0;
  uint16_t sum = Ipv4UpperLayerChecksum(src, dst, protocol, payload, len);
  if (sum == 0 && protocol == kProtoUdp) sum = 0xFFFF;
  payload[at] = uint8_t(sum >> 8);
  payload[at + 1] = uint8_t(sum);
}
void AcceptNattTransportChecksum(const ns3::Ipv6Header&, uint8_t, uint8_t*, size_t) {}

uint8_t DsFieldOf(const ns3::Ipv4Header& header) { return header.GetTos(); }
uint8_t DsFieldOf(const ns3::Ipv6Header& header) { return header.GetTrafficClass(); }

// The upper-layer protocol the IP layer demultiplexed the packet by.
uint8_t ProtocolOf(const ns3::Ipv4Header& header) { return header.GetProtocol(); }
uint8_t ProtocolOf(const ns3::Ipv6Header& header) { return header.GetNextHeader(); }

// The header a decrypted payload is delivered with: the outer one, now
// carrying the inner protocol and length (transport mode).
ns3::Ipv4Header InnerHeader(ns3::Ipv4Header outer, uint8_t protocol, size_t length) {
  outer.SetProtocol(protocol);
  outer.SetPayloadSize(uint16_t(length));
  return outer;
}

ns3::Ipv6Header InnerHeader(ns3::Ipv6Header outer, uint8_t protocol, size_t length) {
  outer.SetNextHeader(protocol);
  outer.SetPayloadLength(uint16_t(length));
  return outer;
}

Ptr<ns3::IpL4Protocol> ProtocolIn(const Ptr<ns3::Ipv4L3Protocol>& ip, uint8_t protocol) {
  return ip ? ip->GetProtocol(protocol) : nullptr;
}

Ptr<ns3::IpL4Protocol> ProtocolIn(const Ptr<ns3::Ipv6L3Protocol>& ip, uint8_t protocol) {
  return ip ? ip->GetProtocol(protocol) : nullptr;
}
}  // namespace

void XfrmStack::ReceiveEsp(Ptr<Packet> p, const ns3::Ipv4Header& outer,
                           Ptr<ns3::Ipv4Interface> iface) {
  ReceiveEspFrom(p, outer, iface);
}

void XfrmStack::ReceiveEsp(Ptr<Packet> p, const ns3::Ipv6Header& outer,
                           Ptr<ns3::Ipv6Interface> iface) {
  ReceiveEspFrom(p, outer, iface);
}

State* XfrmStack::FindInboundState(uint32_t spi, const ns3::Ipv4Header& outer) const {
  return m_sad.FindInbound(spi, outer.GetDestination(), kProtoEsp);
}

State* XfrmStack::FindInboundState(uint32_t spi, const ns3::Ipv6Header& outer) const {
  return m_sad.FindInbound(spi, ns3::Address(outer.GetDestination()), kProtoEsp);
}

template <class Header, class Iface>
void XfrmStack::ReceiveEspFrom(Ptr<Packet> p, const Header& outer, Ptr<Iface> iface) {
  Bytes& wire = m_scratch;
  wire.resize(p->GetSize());
  p->CopyData(wire.data(), uint32_t(wire.size()));
  esp::EspHeaderView view;
  if (!esp::PeekHeader(wire.data(), wire.size(), &view)) {
    m_counters.Increment(XfrmStat::kInHdrError);
    return;
  }
  State* state = FindInboundState(view.spi, outer);
  if (!state) {
    m_counters.Increment(XfrmStat::kInNoStates);
    return;
  }
  const esp::InboundSa::InPlaceResult result =
      state->Inbound().ProcessInPlace(wire.data(), wire.size(), &m_counters);
  if (!result.ok) return;  // counted by ProcessInPlace
  uint8_t* payload = wire.data() + esp::kPayloadOffset;
  if (state->config.mode == XfrmMode::kTunnel) {
    Decapsulate(p, state, payload, result.payloadLen, result.nextHeader, DsFieldOf(outer),
                iface->GetDevice());
    return;
  }
  const uint32_t stateReqid = state->config.reqid;
  if (state->config.encap)
    AcceptNattTransportChecksum(outer, result.nextHeader, payload, result.payloadLen);
  Account(state, result.payloadLen);  // may delete the state

  FlowTuple flow = FlowOf(outer, result.nextHeader);
  ReadPorts(result.nextHeader, payload, result.payloadLen, &flow);
  if (const PolicyEntry* entry = m_spd.Lookup(Direction::kIn, flow)) {
    if (entry->policy.action == PolicyAction::kDiscard) {
      m_counters.Increment(XfrmStat::kInPolBlock);
      return;
    }
    const SaTemplate& tmpl = entry->policy.tmpl;
    const bool reqidDiffers = tmpl.reqid != 0 && tmpl.reqid != stateReqid;
    if (entry->policy.action == PolicyAction::kProtect &&
        (reqidDiffers || tmpl.mode != XfrmMode::kTransport)) {
      m_counters.Increment(XfrmStat::kInTmplMismatch);
      return;
    }
  }
  ReplacePacketBytes(p, payload, result.payloadLen);
  ++m_stats.inDecrypted;
  Deliver(p, InnerHeader(outer, result.nextHeader, result.payloadLen), iface);
}

void XfrmStack::TraceDelivery(Ptr<const Packet> segment, const ns3::Ipv4Header& header,
                              bool decrypted) {
  m_deliverTrace(segment, header, decrypted);
}

template <class Header, class Iface>
void XfrmStack::Deliver(Ptr<Packet> segment, const Header& header, Ptr<Iface> iface) {
  const uint8_t protocol = ProtocolOf(header);
  Ptr<ns3::IpL4Protocol> l4;
  if (auto it = m_realL4.find(protocol); it != m_realL4.end()) {
    l4 = it->second;
  } else if constexpr (std::is_same_v<Header, ns3::Ipv4Header>) {
    l4 = ProtocolIn(m_ipv4, protocol);
  } else {
    l4 = ProtocolIn(m_ipv6, protocol);
  }
  if (!l4) {
    ++m_stats.innerProtocolUnknown;
    return;
  }
  TraceDelivery(segment, header, true);
  if constexpr (std::is_same_v<Header, ns3::Ipv4Header>) {
    if (m_decryptedHook && m_decryptedHook(segment, header)) return;
  }
  l4->Receive(segment, header, iface);
}

ns3::IpL4Protocol::RxStatus XfrmStack::ReceiveClear(Ptr<ns3::IpL4Protocol> real,
                                                    Ptr<Packet> segment,
                                                    const ns3::Ipv4Header& header,
                                                    Ptr<ns3::Ipv4Interface> iface) {
  return ReceiveClearFrom(real, segment, header, iface);
}

ns3::IpL4Protocol::RxStatus XfrmStack::ReceiveClear(Ptr<ns3::IpL4Protocol> real,
                                                    Ptr<Packet> segment,
                                                    const ns3::Ipv6Header& header,
                                                    Ptr<ns3::Ipv6Interface> iface) {
  return ReceiveClearFrom(real, segment, header, iface);
}

bool XfrmStack::HandOverNattIke(Ptr<Packet> ike, const FlowTuple& flow) {
  if (m_ikeHandler.IsNull()) return false;
  m_ikeHandler(ike, flow.Source(), flow.Destination(), flow.srcPort, flow.dstPort);
  return true;
}

template <class Header, class Iface>
ns3::IpL4Protocol::RxStatus XfrmStack::ReceiveClearFrom(Ptr<ns3::IpL4Protocol> real,
                                                        Ptr<Packet> segment, const Header& header,
                                                        Ptr<Iface> iface) {
  if (m_reinjecting) {
    m_reinjecting = false;
    TraceDelivery(segment, header, true);
    return real->Receive(segment, header, iface);
  }
  const uint8_t protocol = uint8_t(real->GetProtocolNumber());
  uint8_t head[kUdpHeaderLen + 4];
  const size_t headLen = segment->CopyData(head, sizeof head);
  FlowTuple flow = FlowOf(header, protocol);
  ReadPorts(protocol, head, headLen, &flow);

  if (protocol == kProtoUdp && flow.dstPort == kNattPort) {
    if (headLen < kUdpHeaderLen) {
      m_counters.Increment(XfrmStat::kInHdrError);
      return ns3::IpL4Protocol::RX_OK;
    }
    const size_t payloadLen = segment->GetSize() - kUdpHeaderLen;
    switch (ClassifyUdpEncapPayload(head + kUdpHeaderLen, payloadLen)) {
      case UdpEncapKind::kKeepalive:
        ++m_stats.nattKeepalivesDropped;
        return ns3::IpL4Protocol::RX_OK;
      case UdpEncapKind::kMalformed:
        m_counters.Increment(XfrmStat::kInHdrError);
        return ns3::IpL4Protocol::RX_OK;
      case UdpEncapKind::kEsp:
        segment->RemoveAtStart(kUdpHeaderLen);
        ReceiveEspFrom(segment, header, iface);
        return ns3::IpL4Protocol::RX_OK;
      case UdpEncapKind::kIke: {
        ++m_stats.nattIkePackets;
        Ptr<Packet> ike = segment->Copy();
        ike->RemoveAtStart(kUdpHeaderLen);
        if (HandOverNattIke(ike, flow)) return ns3::IpL4Protocol::RX_OK;
        break;  // to the UDP sockets
      }
    }
  }

  const PolicyEntry* entry =
      SocketAllowed(flow, false) ? nullptr : m_spd.Lookup(Direction::kIn, flow);
  if (entry) {
    if (entry->policy.action == PolicyAction::kProtect) {
      m_counters.Increment(XfrmStat::kInTmplMismatch);
      return ns3::IpL4Protocol::RX_OK;
    }
    if (entry->policy.action == PolicyAction::kDiscard) {
      m_counters.Increment(XfrmStat::kInPolBlock);
      return ns3::IpL4Protocol::RX_OK;
    }
  }
  ++m_stats.inClearAccepted;
  TraceDelivery(segment, header, false);
  return real->Receive(segment, header, iface);
}

}  // namespace ipsecsim::xfrm
