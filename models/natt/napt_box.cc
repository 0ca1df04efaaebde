#include "napt_box.h"

#include <sstream>

#include "address_rewrite.h"
#include "ipv4_view.h"
#include "ns3/arp-header.h"
#include "ns3/boolean.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

namespace ipsecsim::natt {

using namespace ns3;

NS_OBJECT_ENSURE_REGISTERED(NaptBox);

TypeId NaptBox::GetTypeId() {
  static TypeId tid =
      TypeId("ipsecsim::natt::NaptBox")
          .SetParent<Object>()
          .SetGroupName("ipsecsim")
          .AddConstructor<NaptBox>()
          // Google Cloud NAT's udpIdleTimeoutSec defaults to 30 s (Compute API,
          // RouterNat), as does Linux's nf_conntrack_udp_timeout for a UDP flow
          // seen one way. Libreswan's 20 s NAT keepalive is below it.
          .AddAttribute("UdpIdleTimeout", "Idle time after which a UDP mapping expires",
                        TimeValue(Seconds(30)), MakeTimeAccessor(&NaptBox::udpIdleTimeout_),
                        MakeTimeChecker(Seconds(0)))
          // Google Cloud NAT's tcpEstablishedIdleTimeoutSec default (1200 s).
          .AddAttribute("TcpIdleTimeout", "Idle time after which a TCP mapping expires",
                        TimeValue(Seconds(1200)), MakeTimeAccessor(&NaptBox::tcpIdleTimeout_),
                        MakeTimeChecker(Seconds(0)))
          // RFC 4787 REQ-6: outbound packets MUST refresh a mapping; inbound MAY.
          .AddAttribute("InboundRefresh", "Whether inbound packets also refresh a mapping",
                        BooleanValue(false), MakeBooleanAccessor(&NaptBox::inboundRefresh_),
                        MakeBooleanChecker())
          .AddAttribute("PortPreservation",
                        "Keep the inside source port as the public port when it is free",
                        BooleanValue(true), MakeBooleanAccessor(&NaptBox::portPreservation_),
                        MakeBooleanChecker())
          .AddAttribute("FirstPort", "First public port of the allocation range",
                        UintegerValue(1024), MakeUintegerAccessor(&NaptBox::firstPort_),
                        MakeUintegerChecker<uint16_t>(1))
          .AddAttribute("LastPort", "Last public port of the allocation range",
                        UintegerValue(65535), MakeUintegerAccessor(&NaptBox::lastPort_),
                        MakeUintegerChecker<uint16_t>(1))
          .AddTraceSource("Drop", "An IPv4 packet dropped, with the reason",
                          MakeTraceSourceAccessor(&NaptBox::dropTrace_),
                          "ipsecsim::natt::NaptBox::DropCallback")
          .AddTraceSource("MappingCreated", "A mapping was created, with its public port",
                          MakeTraceSourceAccessor(&NaptBox::mappingCreatedTrace_),
                          "ipsecsim::natt::NaptBox::PortCallback")
          .AddTraceSource("MappingExpired", "A mapping expired, with its public port",
                          MakeTraceSourceAccessor(&NaptBox::mappingExpiredTrace_),
                          "ipsecsim::natt::NaptBox::PortCallback");
  return tid;
}

void NaptBox::Install(Ptr<NetDevice> inside, Ptr<NetDevice> outside, Ipv4Address publicAddress) {
  NS_ABORT_MSG_IF(inside->GetNode() != outside->GetNode(),
                  "NaptBox: inside and outside devices must belong to one node");
  NS_ABORT_MSG_IF(firstPort_ > lastPort_, "NaptBox: FirstPort > LastPort");
  inside_ = inside;
  outside_ = outside;
  publicAddress_ = publicAddress;
  table_ =
      std::make_unique<NaptTable>(NaptTimeouts{udpIdleTimeout_, tcpIdleTimeout_, inboundRefresh_},
                                  firstPort_, lastPort_, portPreservation_);
  Ptr<Node> node = inside->GetNode();
  node->RegisterProtocolHandler(MakeCallback(&NaptBox::FromInside, this), 0, inside, true);
  node->RegisterProtocolHandler(MakeCallback(&NaptBox::FromOutside, this), 0, outside, true);
}

void NaptBox::DoDispose() {
  expiryEvent_.Cancel();
  inside_ = nullptr;
  outside_ = nullptr;
  Object::DoDispose();
}

namespace {

std::vector<uint8_t> BytesOf(Ptr<const Packet> packet) {
  std::vector<uint8_t> bytes(packet->GetSize());
  packet->CopyData(bytes.data(), uint32_t(bytes.size()));
  return bytes;
}

Ptr<Packet> PacketOf(const std::vector<uint8_t>& bytes, uint16_t length) {
  return Create<Packet>(bytes.data(), length);
}

}  // namespace

void NaptBox::FromInside(Ptr<NetDevice>, Ptr<const Packet> packet, uint16_t protocol,
                         const Address& from, const Address& to, NetDevice::PacketType) {
  const Mac48Address source = Mac48Address::ConvertFrom(from);
  insideMacs_.insert(source);
  if (protocol != kEtherTypeIpv4) {
    ++counters_.nonIpv4Bridged;
    outside_->SendFrom(packet->Copy(), from, to, protocol);
    return;
  }
  std::vector<uint8_t> bytes = BytesOf(packet);
  Outbound(bytes, source, Mac48Address::ConvertFrom(to));
}

void NaptBox::FromOutside(Ptr<NetDevice>, Ptr<const Packet> packet, uint16_t protocol,
                          const Address& from, const Address& to, NetDevice::PacketType type) {
  const Mac48Address destination = Mac48Address::ConvertFrom(to);
  if (protocol == kEtherTypeIpv4) {
    std::vector<uint8_t> bytes = BytesOf(packet);
    Inbound(bytes, Mac48Address::ConvertFrom(from), destination, type);
    return;
  }
  if (protocol == kEtherTypeArp && AnswerArpForPublicAddress(packet)) return;
  // Bridge the rest only where the inside can be: the learning switch floods
  // unknown unicast to this port too.
  if (type == NetDevice::PACKET_OTHERHOST && !insideMacs_.count(destination)) return;
  ++counters_.nonIpv4Bridged;
  inside_->SendFrom(packet->Copy(), from, to, protocol);
}

bool NaptBox::AnswerArpForPublicAddress(Ptr<const Packet> packet) {
  // Ethernet/IPv4 ARP: 28 bytes, hardware length 6, protocol length 4.
  if (packet->GetSize() < 28) return false;
  const std::vector<uint8_t> bytes = BytesOf(packet);
  if (bytes[4] != 6 || bytes[5] != 4) return false;
  ArpHeader arp;
  packet->PeekHeader(arp);
  if (!arp.IsRequest() || arp.GetDestinationIpv4Address() != publicAddress_) return false;
  ArpHeader reply;
  reply.SetReply(outside_->GetAddress(), publicAddress_, arp.GetSourceHardwareAddress(),
                 arp.GetSourceIpv4Address());
  Ptr<Packet> answer = Create<Packet>();
  answer->AddHeader(reply);
  outside_->Send(answer, arp.GetSourceHardwareAddress(), kEtherTypeArp);
  ++counters_.arpAnswered;
  return true;
}

bool NaptBox::Translatable(const std::vector<uint8_t>& bytes, Ipv4View* view,
                           const char* direction) {
  const std::string where = std::string(" (") + direction + ")";
  if (ParseIpv4(bytes.data(), bytes.size(), view) != ParseStatus::kIpv4) {
    ++counters_.malformedDropped;
    Drop(bytes, "malformed" + where);
    return false;
  }
  if (view->protocol == kProtoEsp) {
    ++counters_.espDropped;
    Drop(bytes, "ESP has no ports to map" + where);
    return false;
  }
  if (view->protocol != kProtoUdp && view->protocol != kProtoTcp) {
    ++counters_.unsupportedProtocolDropped;
    Drop(bytes, "protocol " + std::to_string(view->protocol) + " not translated" + where);
    return false;
  }
  if (view->isFragment) {
    ++counters_.fragmentsDropped;
    Drop(bytes, "IP fragment" + where);
    return false;
  }
  return true;
}

void NaptBox::Outbound(std::vector<uint8_t>& bytes, Mac48Address from, Mac48Address to) {
  Ipv4View view;
  if (!Translatable(bytes, &view, "outbound")) return;
  if (view.destination == publicAddress_) {
    ++counters_.hairpinDropped;
    Drop(bytes, "hairpin to the public address");
    return;
  }
  bool created = false;
  const NaptMapping* mapping =
      table_->Outbound(view.protocol, {view.source, view.sourcePort},
                       {view.destination, view.destinationPort}, from, Simulator::Now(), &created);
  if (!mapping) {
    ++counters_.portsExhaustedDropped;
    Drop(bytes, "no free public port");
    return;
  }
  if (created) {
    mappingCreatedTrace_(mapping->publicPort);
    ScheduleExpiry();
  }
  RewriteSource(bytes.data(), view, publicAddress_, mapping->publicPort);
  ++counters_.outboundTranslated;
  outside_->SendFrom(PacketOf(bytes, view.totalLength), outside_->GetAddress(), to, kEtherTypeIpv4);
}

void NaptBox::Inbound(std::vector<uint8_t>& bytes, Mac48Address from, Mac48Address to,
                      NetDevice::PacketType type) {
  Ipv4View view;
  const bool parsed = ParseIpv4(bytes.data(), bytes.size(), &view) == ParseStatus::kIpv4;
  if (parsed && view.destination != publicAddress_) {
    // Frames for other hosts reach this port when the switch floods them;
    // only those sent to this box or to a host inside are worth counting.
    if (to == Mac48Address::ConvertFrom(outside_->GetAddress()) || insideMacs_.count(to)) {
      ++counters_.inboundNotForPublicAddress;
      Drop(bytes, "inbound not to the public address");
    }
    return;
  }
  if (!parsed && type == NetDevice::PACKET_OTHERHOST && !insideMacs_.count(to)) return;
  if (!Translatable(bytes, &view, "inbound")) return;
  const NaptMapping* mapping = nullptr;
  switch (table_->Inbound(view.protocol, view.destinationPort, {view.source, view.sourcePort},
                          Simulator::Now(), &mapping)) {
    case NaptTable::InboundResult::kTranslated:
      break;
    case NaptTable::InboundResult::kNoMapping:
      ++counters_.inboundNoMapping;
      Drop(bytes, "inbound to a public port without mapping");
      return;
    case NaptTable::InboundResult::kExpiredMapping:
      ++counters_.inboundExpiredMapping;
      Drop(bytes, "inbound to an expired mapping");
      return;
    case NaptTable::InboundResult::kWrongRemote:
      ++counters_.inboundWrongRemote;
      Drop(bytes, "inbound from another remote than the mapping's");
      return;
  }
  RewriteDestination(bytes.data(), view, mapping->inside.address, mapping->inside.port);
  ++counters_.inboundTranslated;
  inside_->SendFrom(PacketOf(bytes, view.totalLength), from, mapping->insideMac, kEtherTypeIpv4);
}

void NaptBox::Drop(const std::vector<uint8_t>& bytes, const std::string& reason) {
  dropTrace_(Create<Packet>(bytes.data(), uint32_t(bytes.size())), reason);
}

void NaptBox::ScheduleExpiry() {
  if (expiryEvent_.IsRunning()) return;
  const std::optional<Time> next = table_->NextExpiry();
  if (!next) return;
  const Time delay = *next > Simulator::Now() ? *next - Simulator::Now() : Time(0);
  expiryEvent_ = Simulator::Schedule(delay, &NaptBox::ExpireIdleMappings, this);
}

void NaptBox::ExpireIdleMappings() {
  for (const NaptMapping& mapping : table_->ExpireIdle(Simulator::Now())) {
    mappingExpiredTrace_(mapping.publicPort);
  }
  ScheduleExpiry();
}

std::vector<NaptMapping> NaptBox::Mappings() const {
  return table_ ? table_->Mappings() : std::vector<NaptMapping>{};
}

std::vector<std::string> NaptBox::Report() const {
  std::vector<std::string> lines;
  std::ostringstream prefix;
  prefix << "nat " << publicAddress_ << ": ";
  auto line = [&](const char* name, uint64_t value) {
    if (value > 0) lines.push_back(prefix.str() + name + " " + std::to_string(value));
  };
  const NaptCounters& c = counters_;
  line("outbound translated", c.outboundTranslated);
  line("inbound translated", c.inboundTranslated);
  line("mappings created", MappingsCreated());
  line("mappings expired", MappingsExpired());
  line("inbound dropped, no mapping", c.inboundNoMapping);
  line("inbound dropped, mapping expired", c.inboundExpiredMapping);
  line("inbound dropped, other remote", c.inboundWrongRemote);
  line("inbound dropped, not to the public address", c.inboundNotForPublicAddress);
  line("ESP dropped", c.espDropped);
  line("other protocols dropped", c.unsupportedProtocolDropped);
  line("fragments dropped", c.fragmentsDropped);
  line("malformed dropped", c.malformedDropped);
  line("dropped, no free port", c.portsExhaustedDropped);
  line("hairpin dropped", c.hairpinDropped);
  return lines;
}

}  // namespace ipsecsim::natt
