#include "policy.h"

#include <sstream>

namespace ipsecsim::xfrm {

ns3::Address FlowTuple::Source() const { return ipv6 ? ns3::Address(src6) : ns3::Address(src); }

ns3::Address FlowTuple::Destination() const {
  return ipv6 ? ns3::Address(dst6) : ns3::Address(dst);
}

FlowTuple FlowTuple::Between(const ns3::Address& src, const ns3::Address& dst, uint8_t protocol,
                             uint16_t srcPort, uint16_t dstPort) {
  FlowTuple flow;
  flow.protocol = protocol;
  flow.srcPort = srcPort;
  flow.dstPort = dstPort;
  flow.ipv6 = ns3::Ipv6Address::IsMatchingType(src);
  if (flow.ipv6) {
    flow.src6 = ns3::Ipv6Address::ConvertFrom(src);
    flow.dst6 = ns3::Ipv6Address::ConvertFrom(dst);
  } else {
    flow.src = ns3::Ipv4Address::ConvertFrom(src);
    flow.dst = ns3::Ipv4Address::ConvertFrom(dst);
  }
  return flow;
}

void ReadPorts(uint8_t protocol, const uint8_t* segment, size_t len, FlowTuple* flow) {
  flow->srcPort = 0;
  flow->dstPort = 0;
  if ((protocol == kProtoUdp || protocol == kProtoTcp) && len >= 4) {
    flow->srcPort = uint16_t(segment[0] << 8 | segment[1]);
    flow->dstPort = uint16_t(segment[2] << 8 | segment[3]);
  } else if (protocol == kProtoIcmp && len >= 2) {
    flow->srcPort = segment[0];
    flow->dstPort = segment[1];
  }
}

bool Selector::Matches(const FlowTuple& flow) const {
  if (protocol != kAnyProtocol && protocol != flow.protocol) return false;
  const bool addresses = flow.ipv6 ? src.Contains(flow.src6) && dst.Contains(flow.dst6)
                                   : src.Contains(flow.src) && dst.Contains(flow.dst);
  return addresses && srcPorts.Contains(flow.srcPort) && dstPorts.Contains(flow.dstPort);
}

bool Selector::Covers(const Selector& other) const {
  if (protocol != kAnyProtocol && protocol != other.protocol) return false;
  return src.Covers(other.src) && dst.Covers(other.dst) && srcPorts.Covers(other.srcPorts) &&
         dstPorts.Covers(other.dstPorts);
}

bool Selector::Overlaps(const Selector& other) const {
  if (protocol != kAnyProtocol && other.protocol != kAnyProtocol && protocol != other.protocol) {
    return false;
  }
  return src.Overlaps(other.src) && dst.Overlaps(other.dst) && srcPorts.Overlaps(other.srcPorts) &&
         dstPorts.Overlaps(other.dstPorts);
}

namespace {
std::string PortsText(const PortRange& r) {
  if (r.IsAny()) return "any";
  if (r.low == r.high) return std::to_string(r.low);
  return std::to_string(r.low) + "-" + std::to_string(r.high);
}
}  // namespace

std::string Selector::ToString() const {
  std::ostringstream os;
  os << "src " << src.ToString() << " dst " << dst.ToString();
  if (protocol != kAnyProtocol) os << " proto " << unsigned(protocol);
  if (!srcPorts.IsAny()) os << " sport " << PortsText(srcPorts);
  if (!dstPorts.IsAny()) os << " dport " << PortsText(dstPorts);
  return os.str();
}

const char* DirectionName(Direction d) { return d == Direction::kIn ? "in" : "out"; }

const char* ModeName(XfrmMode mode) { return mode == XfrmMode::kTunnel ? "tunnel" : "transport"; }

const char* ActionName(PolicyAction a) {
  switch (a) {
    case PolicyAction::kProtect:
      return "protect";
    case PolicyAction::kBypass:
      return "bypass";
    case PolicyAction::kDiscard:
      return "discard";
  }
  return "?";
}

std::string Policy::ToString() const {
  std::ostringstream os;
  if (!name.empty()) os << name << ": ";
  os << selector.ToString() << " dir " << DirectionName(direction) << " priority " << priority
     << " " << ActionName(action);
  if (action == PolicyAction::kProtect) {
    os << " tmpl proto esp";
    if (tmpl.reqid != 0) os << " reqid " << tmpl.reqid;
    if (tmpl.mode == XfrmMode::kTunnel) os << " mode tunnel";
  }
  return os.str();
}

}  // namespace ipsecsim::xfrm
