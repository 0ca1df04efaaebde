#include "traffic.h"

#include <ns3/icmpv4.h>

#include "flow_marker.h"
#include "linux_ip_output.h"
#include "linux_tcp.h"
#include "tcp_path_mtu.h"
#include "xfrm_stack.h"

namespace ipsecsim::sim {

using namespace ns3;

namespace {
constexpr uint16_t kIcmpIdentifierBase = 0x4000;

int MarkerAt(const uint8_t* data, size_t len) {
  int flow = -1;
  FindFlowMarkers(data, std::min(len, kMarkerLen * 2), [&](int f) {
    if (flow < 0) flow = f;
  });
  return flow;
}
}  // namespace

void TrafficManager::Add(const FlowPlan& plan) {
  plans_[plan.index] = plan;
  tallies_[plan.index] = FlowTally{};
  switch (plan.protocol) {
    case FlowProtocol::kUdp:
      StartUdp(plan);
      break;
    case FlowProtocol::kTcp:
      StartTcp(plan);
      break;
    case FlowProtocol::kIcmp:
      StartIcmp(plan);
      break;
  }
}

double TrafficManager::LastSendSeconds() const {
  double last = 0;
  for (auto& [i, p] : plans_) {
    last = std::max(last, p.startSeconds + p.intervalSeconds * (p.packets ? p.packets - 1 : 0));
  }
  return last;
}

TrafficManager::Sink& TrafficManager::SinkFor(Ptr<Node> node, FlowProtocol protocol,
                                              uint16_t port) {
  auto key = std::make_tuple(node->GetId(), int(protocol), port);
  auto it = sinks_.find(key);
  if (it != sinks_.end()) return it->second;
  Sink& sink = sinks_[key];
  if (protocol == FlowProtocol::kUdp) {
    sink.socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    sink.socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    sink.socket->SetRecvCallback(MakeCallback(&TrafficManager::OnUdpReceive, this));
  } else {
    EnsureLinuxTcp(node);
    sink.socket = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
    // Accepted connections copy the listener's segment size, set from the
    // client's MSS when its SYN arrives; OnTcpAccept caps it by the route.
    NegotiateMss(
        sink.socket,
        MssForMtu(node->GetObject<LinuxIpv4Output>()->RouteMtu(Ipv4Address::GetBroadcast())));
    sink.socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    sink.socket->Listen();
    sink.socket->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                   MakeCallback(&TrafficManager::OnTcpAccept, this));
  }
  return sink;
}

void TrafficManager::StartUdp(const FlowPlan& plan) {
  SinkFor(plan.to, FlowProtocol::kUdp, plan.port);
  Ptr<Socket> tx = Socket::CreateSocket(plan.from, UdpSocketFactory::GetTypeId());
  tx->Bind();
  const auto marked = MarkedPayload(plan.index, plan.size);
  for (uint32_t k = 0; k < plan.packets; ++k) {
    Simulator::Schedule(Seconds(plan.startSeconds + k * plan.intervalSeconds),
                        [this, tx, plan, marked] {
                          auto payload = marked;
                          auto& t = tallies_[plan.index];
                          // Numbered by datagrams sent: a send the stack refuses
                          // (no route while the node reboots) takes no number.
                          if (plan.numbered) WriteSequence(payload, uint32_t(t.sentAt.size()));
                          Ptr<Packet> p = Create<Packet>(payload.data(), payload.size());
                          if (tx->SendTo(p, 0, InetSocketAddress(plan.toAddress, plan.port)) >= 0) {
                            ++t.sent;
                            t.bytesSent += payload.size();
                            if (plan.numbered) {
                              t.sentAt.push_back(Simulator::Now().GetSeconds());
                              t.arrived.push_back(false);
                            }
                          }
                        });
  }
}

void TrafficManager::OnUdpReceive(Ptr<Socket> socket) {
  Ptr<Packet> p;
  while ((p = socket->Recv())) {
    std::vector<uint8_t> data(p->GetSize());
    p->CopyData(data.data(), data.size());
    const int flow = MarkerAt(data.data(), data.size());
    auto it = tallies_.find(flow);
    if (it == tallies_.end()) continue;
    ++it->second.delivered;
    it->second.bytesDelivered += data.size();
    if (plans_.at(flow).numbered) {
      const uint32_t seq = ReadSequence(data);
      if (seq < it->second.arrived.size()) it->second.arrived[seq] = true;
    }
  }
}

void TrafficManager::StartTcp(const FlowPlan& plan) {
  SinkFor(plan.to, FlowProtocol::kTcp, plan.port);
  Simulator::Schedule(Seconds(plan.startSeconds), [this, plan] {
    EnsureLinuxTcp(plan.from);
    Ptr<Socket> tx = Socket::CreateSocket(plan.from, TcpSocketFactory::GetTypeId());
    NegotiateMss(
        tx, MssForMtu(plan.from->GetObject<LinuxIpv4Output>()->SocketRouteMtu(plan.toAddress)));
    FollowPathMtu(tx);
    tx->Bind();
    tcpSenders_[tx] = TcpSender{plan.index, plan.packets, plan.size, 0};
    tx->SetConnectCallback(MakeCallback(&TrafficManager::OnTcpConnected, this),
                           MakeNullCallback<void, Ptr<Socket>>());
    tx->SetSendCallback(MakeCallback(&TrafficManager::TcpSendMore, this));
    tx->Connect(InetSocketAddress(plan.toAddress, plan.port));
  });
}

void TrafficManager::OnTcpConnected(Ptr<Socket> socket) {
  TcpSendMore(socket, socket->GetTxAvailable());
}

void TrafficManager::TcpSendMore(Ptr<Socket> socket, uint32_t) {
  auto it = tcpSenders_.find(socket);
  if (it == tcpSenders_.end()) return;
  TcpSender& s = it->second;
  const auto payload = MarkedPayload(s.index, s.size);
  while (s.writesLeft > 0 && socket->GetTxAvailable() > 0) {
    const uint32_t want = s.size - s.offset;
    const uint32_t chunk = std::min(want, socket->GetTxAvailable());
    const int sent = socket->Send(payload.data() + s.offset, chunk, 0);
    if (sent <= 0) break;
    s.offset += uint32_t(sent);
    tallies_[s.index].bytesSent += uint64_t(sent);
    if (s.offset == s.size) {
      s.offset = 0;
      --s.writesLeft;
      ++tallies_[s.index].sent;
    }
  }
  if (s.writesLeft == 0) {
    socket->Close();
    tcpSenders_.erase(it);
  }
}

void TrafficManager::EnsureLinuxTcp(Ptr<Node> node) {
  if (linuxTcpNodes_.insert(node->GetId()).second) AdvertiseMss(node);
}

void TrafficManager::OnTcpAccept(Ptr<Socket> socket, const Address& from) {
  Ptr<TcpSocketBase> tcp = DynamicCast<TcpSocketBase>(socket);
  const uint32_t own =
      SegmentPayload(MssForMtu(socket->GetNode()->GetObject<LinuxIpv4Output>()->SocketRouteMtu(
          InetSocketAddress::ConvertFrom(from).GetIpv4())));
  if (tcp && own < SegmentPayloadOf(PeekPointer(tcp))) SetSegmentPayload(PeekPointer(tcp), own);
  tcpConnectionFlow_[socket] = -1;
  socket->SetRecvCallback(MakeCallback(&TrafficManager::OnTcpReceive, this));
}

void TrafficManager::OnTcpReceive(Ptr<Socket> socket) {
  Ptr<Packet> p;
  while ((p = socket->Recv())) {
    std::vector<uint8_t> data(p->GetSize());
    p->CopyData(data.data(), data.size());
    int& flow = tcpConnectionFlow_[socket];
    if (flow < 0) flow = MarkerAt(data.data(), data.size());
    auto it = tallies_.find(flow);
    if (it == tallies_.end()) continue;
    it->second.bytesDelivered += data.size();
    it->second.delivered = it->second.bytesDelivered / plans_.at(flow).size;
  }
}

void TrafficManager::StartIcmp(const FlowPlan& plan) {
  Ptr<Socket> raw =
      Socket::CreateSocket(plan.from, TypeId::LookupByName("ns3::Ipv4RawSocketFactory"));
  raw->SetAttribute("Protocol", UintegerValue(1));
  raw->Bind();
  raw->SetRecvCallback(MakeCallback(&TrafficManager::OnIcmpReceive, this));
  icmpSockets_[plan.index] = raw;
  const auto payload = MarkedPayload(plan.index, plan.size);
  for (uint32_t k = 0; k < plan.packets; ++k) {
    Simulator::Schedule(Seconds(plan.startSeconds + k * plan.intervalSeconds),
                        [this, raw, plan, payload, k] {
                          Ptr<Packet> p = Create<Packet>(payload.data(), payload.size());
                          Icmpv4Echo echo;
                          echo.SetIdentifier(uint16_t(kIcmpIdentifierBase + plan.index));
                          echo.SetSequenceNumber(uint16_t(k));
                          echo.SetData(p);
                          Ptr<Packet> msg = Create<Packet>();
                          msg->AddHeader(echo);
                          Icmpv4Header icmp;
                          icmp.SetType(Icmpv4Header::ICMPV4_ECHO);
                          icmp.SetCode(0);
                          icmp.EnableChecksum();  // ping's own, on a raw socket
                          msg->AddHeader(icmp);
                          if (SendEcho(plan, raw, msg)) {
                            auto& t = tallies_[plan.index];
                            ++t.sent;
                            t.bytesSent += payload.size();
                          }
                        });
  }
}

bool TrafficManager::SendEcho(const FlowPlan& plan, Ptr<Socket> raw, Ptr<Packet> message) {
  Ptr<xfrm::XfrmStack> xfrm = plan.from->GetObject<xfrm::XfrmStack>();
  Ptr<Ipv4L3Protocol> ipv4 = plan.from->GetObject<Ipv4L3Protocol>();
  if (xfrm && ipv4) {
    Ipv4Header probe;
    probe.SetDestination(plan.toAddress);
    probe.SetProtocol(Icmpv4L4Protocol::PROT_NUMBER);
    Socket::SocketErrno error;
    Ptr<Ipv4Route> route = ipv4->GetRoutingProtocol()->RouteOutput(message, probe, nullptr, error);
    xfrm::FlowTuple flow;
    if (route) {
      flow.src = route->GetSource();
      flow.dst = plan.toAddress;
      flow.protocol = Icmpv4L4Protocol::PROT_NUMBER;
      flow.srcPort = Icmpv4Header::ICMPV4_ECHO;  // type and code, as Linux selects ICMP
    }
    using Kind = xfrm::XfrmStack::OutboundDecision::Kind;
    if (route && xfrm->DecideOutbound(flow).kind != Kind::kClear) {
      if (decryptedEchoNodes_.insert(plan.from->GetId()).second)
        xfrm->TraceConnectWithoutContext("Deliver",
                                         MakeCallback(&TrafficManager::OnDecryptedDelivery, this));
      plan.from->GetObject<Icmpv4L4Protocol>()->GetDownTarget()(
          message, route->GetSource(), plan.toAddress, Icmpv4L4Protocol::PROT_NUMBER, route);
      return true;
    }
  }
  return raw->SendTo(message, 0, InetSocketAddress(plan.toAddress, 0)) >= 0;
}

void TrafficManager::OnDecryptedDelivery(Ptr<const Packet> segment, const Ipv4Header& header,
                                         bool decrypted) {
  if (!decrypted || header.GetProtocol() != Icmpv4L4Protocol::PROT_NUMBER) return;
  uint8_t head[8];
  if (segment->CopyData(head, sizeof head) != sizeof head) return;
  if (head[0] != Icmpv4Header::ICMPV4_ECHO_REPLY) return;
  const int flow = int(uint16_t(head[4] << 8 | head[5])) - kIcmpIdentifierBase;
  if (!icmpSockets_.count(flow)) return;
  CountEchoReply(flow, uint16_t(head[6] << 8 | head[7]), segment->GetSize() - 8);
}

void TrafficManager::CountEchoReply(int flow, uint16_t sequence, uint32_t dataSize) {
  if (!echoRepliesCounted_.insert({flow, sequence}).second) return;
  ++tallies_[flow].delivered;
  tallies_[flow].bytesDelivered += dataSize;
}

void TrafficManager::OnIcmpReceive(Ptr<Socket> socket) {
  Ptr<Packet> p;
  while ((p = socket->Recv())) {
    Ipv4Header ip;
    p->RemoveHeader(ip);
    if (p->GetSize() < 8) continue;
    Icmpv4Header icmp;
    p->RemoveHeader(icmp);
    if (icmp.GetType() != Icmpv4Header::ICMPV4_ECHO_REPLY) continue;
    Icmpv4Echo echo;
    p->RemoveHeader(echo);
    const int flow = int(echo.GetIdentifier()) - kIcmpIdentifierBase;
    auto it = icmpSockets_.find(flow);
    if (it == icmpSockets_.end() || it->second != socket) continue;
    CountEchoReply(flow, echo.GetSequenceNumber(), echo.GetDataSize());
  }
}

}  // namespace ipsecsim::sim
