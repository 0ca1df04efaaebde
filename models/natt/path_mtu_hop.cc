#include "path_mtu_hop.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "bytes.h"
#include "internet_checksum.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "receive_filter_chain.h"

namespace ipsecsim::natt {

using namespace ns3;

namespace {

constexpr uint16_t kEtherTypeIpv6 = 0x86dd;
constexpr size_t kEthernetHeader = 14;
constexpr size_t kLlcSnapHeader = 8;
constexpr size_t kIpv6Header = 40;
constexpr size_t kIcmpv6Header = 8;  // type, code, checksum, MTU
constexpr uint32_t kIpv6MinimumMtu = 1280;
constexpr uint8_t kNextHeaderIcmpv6 = 58;
constexpr uint8_t kNextHeaderFragment = 44;
constexpr uint8_t kIcmpv6PacketTooBig = 2;
constexpr uint8_t kIcmpv6FirstInformational = 128;
constexpr uint8_t kHopLimit = 64;

// The IPv6 packet a frame carries: where it starts and how long it is.
struct Ipv6InFrame {
  const uint8_t* ip;
  size_t length;  // header and payload; the frame may hold more (trailer)
};

// Where an Ethernet II or 802.3 LLC/SNAP frame puts its EtherType's payload.
std::optional<size_t> PayloadOffset(const uint8_t* frame, size_t size, uint16_t etherType) {
  if (size < kEthernetHeader) return std::nullopt;
  const uint16_t lengthOrType = GetU16(frame + 12);
  if (lengthOrType > 1500) {
    if (lengthOrType != etherType) return std::nullopt;
    return kEthernetHeader;
  }
  if (size < kEthernetHeader + kLlcSnapHeader) return std::nullopt;
  const uint8_t* llc = frame + kEthernetHeader;
  if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03) return std::nullopt;
  if (GetU16(llc + 6) != etherType) return std::nullopt;
  return kEthernetHeader + kLlcSnapHeader;
}

// The well-formed IPv6 packet in `frame`, if any (a jumbogram, with payload
// length 0, reads as a bare header: a core this small never carries one).
std::optional<Ipv6InFrame> FindIpv6(const std::vector<uint8_t>& frame) {
  const std::optional<size_t> offset = PayloadOffset(frame.data(), frame.size(), kEtherTypeIpv6);
  if (!offset || frame.size() - *offset < kIpv6Header) return std::nullopt;
  const uint8_t* ip = frame.data() + *offset;
  if ((ip[0] >> 4) != 6) return std::nullopt;
  const size_t length = kIpv6Header + GetU16(ip + 4);
  if (length > frame.size() - *offset) return std::nullopt;
  return Ipv6InFrame{ip, length};
}

bool HasLengthField(uint8_t nextHeader) {
  return nextHeader == 0 || nextHeader == 43 || nextHeader == 60;  // hop-by-hop, routing, dest.
}

// Whether the packet is an ICMPv6 error message, found past the extension
// headers ns-3 and Linux put before it. A later fragment carries no ICMPv6
// header, so it does not count as one.
bool IsIcmpv6Error(const Ipv6InFrame& packet) {
  uint8_t nextHeader = packet.ip[6];
  size_t at = kIpv6Header;
  while (HasLengthField(nextHeader) || nextHeader == kNextHeaderFragment) {
    if (at + 8 > packet.length) return false;
    const uint8_t* extension = packet.ip + at;
    const bool fragment = nextHeader == kNextHeaderFragment;
    if (fragment && (GetU16(extension + 2) & 0xfff8) != 0) return false;
    nextHeader = extension[0];
    at += fragment ? 8 : size_t(extension[1] + 1) * 8;
  }
  return nextHeader == kNextHeaderIcmpv6 && at < packet.length &&
         packet.ip[at] < kIcmpv6FirstInformational;
}

Ipv6Address SourceOf(const Ipv6InFrame& packet) {
  uint8_t bytes[16];
  std::copy(packet.ip + 8, packet.ip + 24, bytes);
  return Ipv6Address(bytes);
}

// The ICMPv6 checksum of a whole IPv6 packet carrying ICMPv6 directly.
uint16_t Icmpv6Checksum(const std::vector<uint8_t>& ipPacket) {
  return xfrm::Ipv6UpperLayerChecksum(ipPacket.data() + 8, ipPacket.data() + 24, kNextHeaderIcmpv6,
                                      ipPacket.data() + kIpv6Header, ipPacket.size() - kIpv6Header);
}

// The IPv6 packet of a Packet Too Big from `from` answering `invoking`.
std::vector<uint8_t> PacketTooBig(const Ipv6InFrame& invoking, const Ipv6Address& from,
                                  uint32_t mtu) {
  const size_t quoted =
      std::min(invoking.length, size_t(kIpv6MinimumMtu) - kIpv6Header - kIcmpv6Header);
  std::vector<uint8_t> packet(kIpv6Header + kIcmpv6Header + quoted, 0);
  packet[0] = 0x60;
  PutU16(packet.data() + 4, uint16_t(kIcmpv6Header + quoted));
  packet[6] = kNextHeaderIcmpv6;
  packet[7] = kHopLimit;
  from.Serialize(packet.data() + 8);
  std::copy(invoking.ip + 8, invoking.ip + 24, packet.begin() + 24);  // to its source
  uint8_t* icmp = packet.data() + kIpv6Header;
  icmp[0] = kIcmpv6PacketTooBig;
  PutU16(icmp + 4, uint16_t(mtu >> 16));
  PutU16(icmp + 6, uint16_t(mtu));
  std::copy(invoking.ip, invoking.ip + quoted, icmp + kIcmpv6Header);
  PutU16(icmp + 2, Icmpv6Checksum(packet));
  return packet;
}

}  // namespace

NS_OBJECT_ENSURE_REGISTERED(PathMtuHop);

PathMtuHopCounters& PathMtuHopCounters::operator+=(const PathMtuHopCounters& other) {
  tooBig += other.tooBig;
  ptbSent += other.ptbSent;
  return *this;
}

TypeId PathMtuHop::GetTypeId() {
  static TypeId tid =
      TypeId("ipsecsim::natt::PathMtuHop").SetParent<ErrorModel>().SetGroupName("ipsecsim");
  return tid;
}

PathMtuHop::PathMtuHop(Ptr<NetDevice> port, const PathMtuHopConfig& config)
    : port_(ns3::PeekPointer(port)), config_(config) {
  if (config.mtu < kIpv6MinimumMtu) {
    throw std::invalid_argument("path-mtu hop: an MTU of " + std::to_string(config.mtu) +
                                " is below the IPv6 minimum of 1280");
  }
  if (!port || !port->SupportsSendFrom()) {
    throw std::invalid_argument("path-mtu hop: the port cannot send Packet Too Big (no SendFrom)");
  }
}

bool PathMtuHop::DoCorrupt(Ptr<Packet> frame) {
  frameBytes_.resize(frame->GetSize());
  frame->CopyData(frameBytes_.data(), uint32_t(frameBytes_.size()));
  const std::optional<Ipv6InFrame> packet = FindIpv6(frameBytes_);
  if (!packet || packet->length <= config_.mtu) return false;
  ++counters_.tooBig;
  const Ipv6Address source = SourceOf(*packet);
  const bool sourceIsOneNode = !source.IsMulticast() && !source.IsAny();
  if (sourceIsOneNode && !IsIcmpv6Error(*packet)) {
    const std::vector<uint8_t> answer = PacketTooBig(*packet, config_.address, config_.mtu);
    Mac48Address sender;
    sender.CopyFrom(frameBytes_.data() + 6);
    Simulator::ScheduleNow(&PathMtuHop::Send, Ptr<PathMtuHop>(this),
                           Create<Packet>(answer.data(), uint32_t(answer.size())), sender);
  }
  return true;
}

void PathMtuHop::Send(Ptr<Packet> packetTooBig, Mac48Address to) {
  if (port_->SendFrom(packetTooBig, config_.mac, to, kEtherTypeIpv6)) ++counters_.ptbSent;
}

void PathMtuHop::DoReset() { counters_ = PathMtuHopCounters(); }

std::string PathMtuHop::Report() const { return PathMtuHopReport(config_.mtu, counters_); }

std::string PathMtuHopReport(uint32_t mtu, const PathMtuHopCounters& counters) {
  return "path-mtu hop " + std::to_string(mtu) + ": " + std::to_string(counters.tooBig) +
         " packets too big, " + std::to_string(counters.ptbSent) + " Packet Too Big sent";
}

Ptr<PathMtuHop> InstallPathMtuHop(Ptr<NetDevice> port, const PathMtuHopConfig& config) {
  Ptr<PathMtuHop> hop = CreateObject<PathMtuHop>(port, config);
  if (!AddReceiveFilter(port, hop)) {
    throw std::invalid_argument("path-mtu hop: a " + port->GetInstanceTypeId().GetName() +
                                " has no ReceiveErrorModel to filter with");
  }
  return hop;
}

}  // namespace ipsecsim::natt
