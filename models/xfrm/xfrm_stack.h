// XfrmStack: the Linux xfrm layer of one ns-3 node (SPD + SAD + the ESP data
// path), aggregated to the node by XfrmHelper. Usage:
//
//   InternetStackHelper().Install(nodes);
//   XfrmHelper().Install(nodes);
//   auto xfrm = node->GetObject<ipsecsim::xfrm::XfrmStack>();
//   Policy out;                                    // ip xfrm policy add ... dir out
//   out.selector = {IpPrefix::Host(local), IpPrefix::Host(remote), kProtoUdp,
//                   PortRange::Any(), PortRange::Single(6081)};
//   out.direction = Direction::kOut;               // action kProtect by default
//   xfrm->AddPolicy(out);
//   StateConfig sa;                                // ip xfrm state add ...
//   sa.src = local; sa.dst = remote; sa.spi = 0x1001; sa.keymat = key36;
//   std::string error;
//   if (!xfrm->AddState(sa, &error)) { ...error says why... }
//   xfrm->TraceConnectWithoutContext("Acquire", MakeCallback(&OnAcquire));
//   xfrm->TraceConnectWithoutContext("StateAdded", MakeCallback(&OnNewSa));
//   std::cout << xfrm->FormatXfrmStat();
//
// Hook points (ns-3.37):
// - Outbound: the stack becomes the down target of the node's UDP, TCP and
//   ICMP protocols (IpL4Protocol::SetDownTarget), between them and Ipv4::Send.
// - Inbound ESP: an IpL4Protocol for protocol 50 inserted into
//   Ipv4L3Protocol, so it sees packets after IPv4 reassembly.
// - Inbound policy check and UDP 4500: the stack replaces UDP, TCP and ICMP
//   in Ipv4L3Protocol's demultiplexer by PolicyCheckedL4 wrappers. Each
//   wrapper asks the stack whether a cleartext packet may be delivered and
//   forwards it to the real protocol. Decrypted packets skip the wrappers and
//   go straight to the real protocol. Sockets keep their direct pointers to
//   the real protocols, so nothing else changes. UDP 4500 is taken in the UDP
//   wrapper, before socket demultiplexing, like the kernel's encap socket.
// Raw sockets (V4Ping) send through Ipv4 directly and bypass the stack.
// Checksums: on a node with a ChecksumOffload (installed before the stack,
// so below it), cleartext segments are checksummed by it on their way
// down, and protected ones by Seal before they are encrypted.
// IPv6 (when the node has it): the same hooks in Ipv6L3Protocol for UDP and
// TCP (down target 6, ESP as protocol 50 after reassembly, policy-checked
// wrappers). ICMPv6 is not wrapped: Ipv6L3Protocol finds its ICMPv6 object
// by protocol number. Both versions share one output path: the trap, its
// Acquire and the hold queue work alike.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "hold_queue.h"
#include "ns3/callback.h"
#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-interface.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/ipv6-route.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "policy.h"
#include "sad.h"
#include "spd.h"
#include "tunnel_headers.h"
#include "xfrm_stat.h"

namespace ipsecsim::xfrm {

// Raised when an outbound packet matches a protect policy and no SA exists:
// what the kernel sends the IKE daemon as XFRM_MSG_ACQUIRE.
struct AcquireEvent {
  PolicyId policyId;
  Policy policy;
  FlowTuple flow;  // the packet that triggered it
};

// Raised when a state reaches its soft or hard lifetime (XFRM_MSG_EXPIRE).
// After a hard expiry the state is already gone.
struct ExpireEvent {
  uint32_t spi;
  ns3::Address src;
  ns3::Address dst;
  uint32_t reqid;
  bool hard;
};

// Data-path events the kernel does not count in xfrm_stat.
struct XfrmStackStats {
  uint64_t outProtected = 0;   // packets sent as ESP (or ESP in UDP)
  uint64_t outBypassed = 0;    // packets sent in clear (bypass or no policy)
  uint64_t outHeld = 0;        // packets put on the trap hold queue
  uint64_t heldReleased = 0;   // held packets sent once their SA came
  uint64_t heldDiscarded = 0;  // held packets dropped by a flush or policy removal
  uint64_t acquires = 0;
  uint64_t inDecrypted = 0;
  uint64_t inClearAccepted = 0;
  uint64_t nattKeepalivesDropped = 0;
  uint64_t nattIkePackets = 0;
  uint64_t innerProtocolUnknown = 0;  // decrypted, but no L4 protocol for next header
};

class XfrmStack : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId();
  XfrmStack();
  ~XfrmStack() override;

  // Hooks the stack into the node's IPv4 (see above). XfrmHelper calls it;
  // the node must already have an internet stack.
  void Attach(ns3::Ptr<ns3::Node> node);

  // ip xfrm policy add / delete / flush
  PolicyId AddPolicy(const Policy& policy);
  bool DeletePolicy(PolicyId id);
  void FlushPolicies();
  const Spd& Policies() const { return m_spd; }

  // ip xfrm state add / delete / flush. AddState returns false and sets
  // *error (e.g. wrong key length) when the state cannot be installed. Adding
  // an outbound state releases packets held for it; the newest matching
  // state protects new packets, so an SA is replaced by adding its successor
  // and deleting the old one later (its inbound twin keeps accepting until then).
  bool AddState(const StateConfig& config, std::string* error = nullptr);
  bool DeleteState(uint32_t spi, const ns3::Address& dst, uint8_t protocol = kProtoEsp);
  void FlushStates();
  const Sad& States() const { return m_sad; }

  // What the output path would do with a packet of this flow now, without
  // sending anything: the per-pair SA state of the lifecycle measurements.
  struct OutboundDecision {
    enum class Kind { kClear, kDiscard, kNoState, kProtected } kind = Kind::kClear;
    uint32_t spi = 0;              // kProtected: the state the packet would leave on
    const State* state = nullptr;  // kProtected: that state
  };
  OutboundDecision DecideOutbound(const FlowTuple& flow) const;

  // Flushes states and policies and drops held packets
  // (`ip xfrm state flush; ip xfrm policy flush`).
  void Flush();

  // A socket's own allow policy in both directions (setsockopt
  // IP_XFRM_POLICY with XFRM_POLICY_ALLOW), as pluto gives its IKE sockets
  // (libreswan v4.10 programs/pluto/kernel_xfrm.c,
  // netlink_poke_ipsec_policy_hole): what the socket bound to `localPort`
  // sends and receives in clear never meets the SPD. ns-3's L4 down target
  // does not say which socket sent a segment; the local port stands for it.
  void AllowSocket(uint8_t protocol, uint16_t localPort) {
    m_allowedSockets.insert({protocol, localPort});
  }

  // What netfilter's PREROUTING does with an IPv4 packet xfrm has just
  // decrypted (xfrm4_transport_finish runs the hook again for it): return
  // true when it takes the packet, as conntrack's de-NAT does for a reply
  // it forwards elsewhere; false delivers it locally.
  using DecryptedHook =
      std::function<bool(ns3::Ptr<ns3::Packet> segment, const ns3::Ipv4Header& header)>;
  void SetDecryptedHook(DecryptedHook hook) { m_decryptedHook = std::move(hook); }

  const XfrmCounters& Counters() const { return m_counters; }
  const XfrmStackStats& Stats() const { return m_stats; }
  std::string FormatXfrmStat() const;  // like cat /proc/net/xfrm_stat

  // IKE packets on UDP 4500 (non-ESP marker) of either IP version, stripped
  // of the UDP header but not of the marker, with their source and
  // destination (Ipv4Address or Ipv6Address) and ports. Unset: they are
  // delivered to UDP sockets as usual.
  using NattIkeHandler = ns3::Callback<void, ns3::Ptr<ns3::Packet>, const ns3::Address&,
                                       const ns3::Address&, uint16_t, uint16_t>;
  void SetNattIkeHandler(NattIkeHandler handler) { m_ikeHandler = handler; }

  typedef void (*AcquireTracedCallback)(const AcquireEvent& event);
  // StateAdded / StateDeleted: what the kernel announces to its netlink
  // listeners as XFRM_MSG_NEWSA / XFRM_MSG_DELSA (deleted, flushed or hard
  // expired), with the state's configuration.
  typedef void (*StateTracedCallback)(const StateConfig& state);
  typedef void (*ExpireTracedCallback)(const ExpireEvent& event);
  typedef void (*SealedTracedCallback)(uint32_t spi);
  typedef void (*DeliverTracedCallback)(ns3::Ptr<const ns3::Packet> segment,
                                        const ns3::Ipv4Header& header, bool decrypted);

  // --- entry points of the hook objects; not for configuration code ---
  void SendFromL4(ns3::Ptr<ns3::Packet> segment, ns3::Ipv4Address src, ns3::Ipv4Address dst,
                  uint8_t protocol, ns3::Ptr<ns3::Ipv4Route> route);
  void SendFromL4v6(ns3::Ptr<ns3::Packet> segment, ns3::Ipv6Address src, ns3::Ipv6Address dst,
                    uint8_t protocol, ns3::Ptr<ns3::Ipv6Route> route);
  void ReceiveEsp(ns3::Ptr<ns3::Packet> esp, const ns3::Ipv4Header& outer,
                  ns3::Ptr<ns3::Ipv4Interface> iface);
  void ReceiveEsp(ns3::Ptr<ns3::Packet> esp, const ns3::Ipv6Header& outer,
                  ns3::Ptr<ns3::Ipv6Interface> iface);
  ns3::IpL4Protocol::RxStatus ReceiveClear(ns3::Ptr<ns3::IpL4Protocol> real,
                                           ns3::Ptr<ns3::Packet> segment,
                                           const ns3::Ipv4Header& header,
                                           ns3::Ptr<ns3::Ipv4Interface> iface);
  ns3::IpL4Protocol::RxStatus ReceiveClear(ns3::Ptr<ns3::IpL4Protocol> real,
                                           ns3::Ptr<ns3::Packet> segment,
                                           const ns3::Ipv6Header& header,
                                           ns3::Ptr<ns3::Ipv6Interface> iface);
  void SetLowerTarget(uint8_t protocol, ns3::IpL4Protocol::DownTargetCallback target);
  void SetLowerTarget6(uint8_t protocol, ns3::IpL4Protocol::DownTargetCallback6 target);

 protected:
  void DoDispose() override;

 private:
  using AcquireKey = std::tuple<PolicyId, ns3::Address, ns3::Address>;  // policy, src, dst

  void AttachIpv6(ns3::Ptr<ns3::Node> node);
  void Output(const HeldPacket& packet, bool fromQueue);
  // The state that protects the flow under a protect policy, or nullptr.
  State* FindOutboundState(const PolicyEntry& entry, const FlowTuple& flow) const;
  void Protect(State* state, const HeldPacket& packet);
  // Tunnel mode: what the inner IP header carries and where the outer goes.
  struct TunnelHeaders {
    IpFields inner;
    FlowTuple outer;  // the state's addresses
  };
  // Turns segment, in place, into the ESP packet (or ESP in UDP) that state
  // sends for flow; returns the outer IP protocol, or nullopt when the state
  // may not send (counted). With tunnel, the segment is first wrapped in its
  // own IP header (flow's addresses) and ESP carries that packet.
  std::optional<uint8_t> Seal(State* state, ns3::Ptr<ns3::Packet> segment, const FlowTuple& flow,
                              const TunnelHeaders* tunnel = nullptr);
  // xfrm_tunnel.cc: the tunnel-mode output and input.
  void ProtectTunnel(State* state, const HeldPacket& packet);
  IpFields InnerIpFields(const HeldPacket& packet);
  void SendTunnel(ns3::Ptr<ns3::Packet> esp, const TunnelHeaders& headers, uint8_t protocol,
                  const TunnelFlags& flags);
  // Decrypted tunnel-mode payload (payload[0, len)) that arrived on device
  // with outerDsField: checked, stripped and received again as the inner packet.
  void Decapsulate(ns3::Ptr<ns3::Packet> p, State* state, uint8_t* payload, size_t len,
                   uint8_t nextHeader, uint8_t outerDsField, ns3::Ptr<ns3::NetDevice> device);
  bool TunnelPolicyAccepts(const FlowTuple& inner, uint32_t reqid, const ns3::Address& src,
                           const ns3::Address& dst);
  void Reinject(ns3::Ptr<ns3::Packet> inner, bool ipv6, ns3::Ptr<ns3::NetDevice> device);
  void Trap(const PolicyEntry& policy, const FlowTuple& flow, const HeldPacket& packet);
  void AcquireExpired(AcquireKey key);
  void ReleaseHeld();
  void SendClear(const HeldPacket& packet);
  // The inbound path, written once for both IP versions (Header is
  // Ipv4Header or Ipv6Header, Iface the matching interface).
  template <class Header, class Iface>
  void ReceiveEspFrom(ns3::Ptr<ns3::Packet> esp, const Header& outer, ns3::Ptr<Iface> iface);
  template <class Header, class Iface>
  ns3::IpL4Protocol::RxStatus ReceiveClearFrom(ns3::Ptr<ns3::IpL4Protocol> real,
                                               ns3::Ptr<ns3::Packet> segment, const Header& header,
                                               ns3::Ptr<Iface> iface);
  template <class Header, class Iface>
  void Deliver(ns3::Ptr<ns3::Packet> segment, const Header& header, ns3::Ptr<Iface> iface);
  State* FindInboundState(uint32_t spi, const ns3::Ipv4Header& outer) const;
  State* FindInboundState(uint32_t spi, const ns3::Ipv6Header& outer) const;
  // IKE on UDP 4500 for the daemon's handler; false when it goes to the sockets.
  bool HandOverNattIke(ns3::Ptr<ns3::Packet> ike, const FlowTuple& flow);
  void TraceDelivery(ns3::Ptr<const ns3::Packet> segment, const ns3::Ipv4Header& header,
                     bool decrypted);
  void TraceDelivery(ns3::Ptr<const ns3::Packet>, const ns3::Ipv6Header&, bool) {}
  // Adds traffic to a state's lifetime; may expire and delete the state.
  void Account(State* state, uint64_t bytes);
  void SoftExpire(SadKey key);
  void HardExpire(SadKey key);
  void DropState(std::unique_ptr<State> state);  // announced as StateDeleted
  static void CancelTimers(State& state);
  void SetHoldLimit(uint32_t limit);
  uint32_t GetHoldLimit() const;

  ns3::Ptr<ns3::Ipv4L3Protocol> m_ipv4;
  ns3::Ptr<ns3::Ipv6L3Protocol> m_ipv6;  // null on an IPv4-only node
  std::map<uint8_t, ns3::IpL4Protocol::DownTargetCallback> m_lowerTargets;
  std::map<uint8_t, ns3::IpL4Protocol::DownTargetCallback6> m_lowerTargets6;
  std::map<uint8_t, ns3::Ptr<ns3::IpL4Protocol>> m_realL4;
  std::map<uint8_t, ns3::Ptr<ns3::IpL4Protocol>> m_wrappers;
  ns3::Ptr<ns3::IpL4Protocol> m_espProtocol;

  Spd m_spd;
  std::set<std::pair<uint8_t, uint16_t>> m_allowedSockets;  // (protocol, local port)
  bool SocketAllowed(const FlowTuple& flow, bool outbound) const {
    return !m_allowedSockets.empty() &&
           m_allowedSockets.count({flow.protocol, outbound ? flow.srcPort : flow.dstPort}) > 0;
  }
  Sad m_sad;
  XfrmCounters m_counters;
  XfrmStackStats m_stats;

  bool m_holdUntilSa = false;
  // The node has a ChecksumOffload: segments are checksummed before sealing.
  bool m_fillsChecksums = false;
  uint64_t m_seqivSeed = 0;
  // Set while a decapsulated inner packet is received again: its policy was
  // checked on the inner addresses, so the wrappers let it through once.
  bool m_reinjecting = false;
  uint16_t m_tunnelIpId = 0;  // IPv4 ids of headers without DF
  ns3::Time m_acquireTimeout;
  HoldQueue m_held;
  std::map<AcquireKey, ns3::EventId> m_pendingAcquires;

  Bytes m_scratch;  // packet bytes being protected or opened; never held across calls
  NattIkeHandler m_ikeHandler;
  ns3::TracedCallback<const AcquireEvent&> m_acquireTrace;
  ns3::TracedCallback<const ExpireEvent&> m_expireTrace;
  ns3::TracedCallback<const StateConfig&> m_stateAddedTrace;
  ns3::TracedCallback<const StateConfig&> m_stateDeletedTrace;
  ns3::TracedCallback<uint32_t> m_sealedTrace;
  ns3::TracedCallback<> m_changedTrace;
  ns3::TracedCallback<ns3::Ptr<const ns3::Packet>, const ns3::Ipv4Header&, bool> m_deliverTrace;
  DecryptedHook m_decryptedHook;
};

}  // namespace ipsecsim::xfrm
