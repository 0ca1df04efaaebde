// Security policies: what `ip xfrm policy add` configures. A selector picks
// packets by addresses, protocol and ports; the action protects them with a
// transport- or tunnel-mode ESP SA (found through the template), lets them
// pass, or drops them.
#pragma once

#include <cstdint>
#include <string>

#include "ip_prefix.h"
#include "ns3/address.h"

namespace ipsecsim::xfrm {

constexpr uint8_t kProtoIcmp = 1;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoEsp = 50;
constexpr uint8_t kAnyProtocol = 0;

// The fields a selector looks at. For ICMP, like Linux, the source "port" is
// the ICMP type and the destination "port" the code. An IPv6 packet's
// addresses are in src6/dst6 (and src/dst stay unset): the IPv4 fields keep
// the per-packet path free of ns3::Address conversions.
struct FlowTuple {
  ns3::Ipv4Address src;
  ns3::Ipv4Address dst;
  uint8_t protocol = 0;
  uint16_t srcPort = 0;
  uint16_t dstPort = 0;
  bool ipv6 = false;
  ns3::Ipv6Address src6{};
  ns3::Ipv6Address dst6{};

  // The addresses as an Ipv4Address or Ipv6Address.
  ns3::Address Source() const;
  ns3::Address Destination() const;
  // A flow between two addresses of one family (Ipv4Address or Ipv6Address).
  static FlowTuple Between(const ns3::Address& src, const ns3::Address& dst, uint8_t protocol = 0,
                           uint16_t srcPort = 0, uint16_t dstPort = 0);
};

// Reads the ports (or ICMP type/code) from the first bytes of an L4 segment;
// leaves them 0 when the segment is too short or the protocol has no ports.
void ReadPorts(uint8_t protocol, const uint8_t* segment, size_t len, FlowTuple* flow);

struct PortRange {
  uint16_t low = 0;
  uint16_t high = 65535;
  static PortRange Any() { return {}; }
  static PortRange Single(uint16_t port) { return {port, port}; }
  bool IsAny() const { return low == 0 && high == 65535; }
  bool Contains(uint16_t port) const { return port >= low && port <= high; }
  bool Covers(const PortRange& o) const { return low <= o.low && o.high <= high; }
  bool Overlaps(const PortRange& o) const { return low <= o.high && o.low <= high; }
  bool operator==(const PortRange& o) const { return low == o.low && high == o.high; }
};

struct Selector {
  IpPrefix src;
  IpPrefix dst;
  uint8_t protocol = kAnyProtocol;
  PortRange srcPorts;  // only meaningful with a protocol that has ports
  PortRange dstPorts;

  bool Matches(const FlowTuple& flow) const;
  // True when every packet this selector could match is matched by *this.
  bool Covers(const Selector& other) const;
  bool Overlaps(const Selector& other) const;
  std::string ToString() const;
};

enum class Direction : uint8_t { kIn, kOut };
enum class PolicyAction : uint8_t { kProtect, kBypass, kDiscard };
const char* DirectionName(Direction d);
const char* ActionName(PolicyAction a);

// `ip xfrm state|policy ... mode transport|tunnel` (XFRM_MODE_*).
enum class XfrmMode : uint8_t { kTransport, kTunnel };
const char* ModeName(XfrmMode mode);

// Which SA protects a packet matched by a protect policy. Transport mode: an
// ESP SA from the packet's source to peer (the packet's destination when
// peer is unset). Tunnel mode: an ESP SA between the tunnel's ends, local
// (this node's) and peer, whatever the packet's addresses; on input the
// state must come from peer to local (xfrm_state_ok in net/xfrm/xfrm_policy.c
// compares a tunnel template's addresses). Both: this reqid when reqid is not 0.
struct SaTemplate {
  ns3::Address peer;
  uint8_t protocol = kProtoEsp;
  uint32_t reqid = 0;
  XfrmMode mode = XfrmMode::kTransport;
  ns3::Address local;  // tunnel mode only
  bool operator==(const SaTemplate& o) const {
    return peer == o.peer && protocol == o.protocol && reqid == o.reqid && mode == o.mode &&
           local == o.local;
  }
};

struct Policy {
  Selector selector;
  Direction direction = Direction::kOut;
  PolicyAction action = PolicyAction::kProtect;
  // Like `ip xfrm policy ... priority`: the lower value wins; among equal
  // priorities the policy added first wins.
  uint32_t priority = 0;
  SaTemplate tmpl;   // used by kProtect only
  std::string name;  // free text for reports, e.g. "ovn-out-node2"

  std::string ToString() const;
};

}  // namespace ipsecsim::xfrm
