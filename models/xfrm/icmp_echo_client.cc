#include "icmp_echo_client.h"

#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/icmpv4.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"
#include "xfrm_stack.h"

namespace ipsecsim::xfrm {

NS_OBJECT_ENSURE_REGISTERED(IcmpEchoClient);

ns3::TypeId IcmpEchoClient::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("ipsecsim::xfrm::IcmpEchoClient")
          .SetParent<ns3::Application>()
          .SetGroupName("Ipsecsim")
          .AddConstructor<IcmpEchoClient>()
          .AddAttribute("Remote", "Address to ping.", ns3::Ipv4AddressValue(),
                        ns3::MakeIpv4AddressAccessor(&IcmpEchoClient::m_remote),
                        ns3::MakeIpv4AddressChecker())
          .AddAttribute("Interval", "Time between echo requests.", ns3::TimeValue(ns3::Seconds(1)),
                        ns3::MakeTimeAccessor(&IcmpEchoClient::m_interval), ns3::MakeTimeChecker())
          .AddAttribute("Count", "Echo requests to send (0: until stopped).", ns3::UintegerValue(0),
                        ns3::MakeUintegerAccessor(&IcmpEchoClient::m_count),
                        ns3::MakeUintegerChecker<uint32_t>())
          .AddAttribute("Size", "Echo data bytes.", ns3::UintegerValue(56),
                        ns3::MakeUintegerAccessor(&IcmpEchoClient::m_size),
                        ns3::MakeUintegerChecker<uint32_t>(0, 65000))
          .AddAttribute("Identifier", "ICMP echo identifier.", ns3::UintegerValue(0x4242),
                        ns3::MakeUintegerAccessor(&IcmpEchoClient::m_identifier),
                        ns3::MakeUintegerChecker<uint16_t>())
          .AddTraceSource("Rtt", "Round trip time of each reply.",
                          ns3::MakeTraceSourceAccessor(&IcmpEchoClient::m_rttTrace),
                          "ns3::Time::TracedCallback");
  return tid;
}

void IcmpEchoClient::StartApplication() {
  if (!m_connected) {
    ns3::Ptr<XfrmStack> xfrm = GetNode()->GetObject<XfrmStack>();
    NS_ABORT_MSG_IF(!xfrm, "ipsecsim IcmpEchoClient needs an XfrmStack on its node");
    xfrm->TraceConnectWithoutContext("Deliver",
                                     ns3::MakeCallback(&IcmpEchoClient::OnDeliver, this));
    m_connected = true;
  }
  m_next = ns3::Simulator::ScheduleNow(&IcmpEchoClient::SendEcho, this);
}

void IcmpEchoClient::StopApplication() { m_next.Cancel(); }

void IcmpEchoClient::SendEcho() {
  if (m_count != 0 && m_sent >= m_count) return;
  const uint16_t seq = uint16_t(m_sent);
  ns3::Ptr<ns3::Packet> p = ns3::Create<ns3::Packet>(m_size);
  ns3::Icmpv4Echo echo;
  echo.SetIdentifier(m_identifier);
  echo.SetSequenceNumber(seq);
  echo.SetData(p);
  p = ns3::Create<ns3::Packet>();
  p->AddHeader(echo);
  ns3::Icmpv4Header icmp;
  icmp.SetType(ns3::Icmpv4Header::ICMPV4_ECHO);
  icmp.SetCode(0);
  if (ns3::Node::ChecksumEnabled()) icmp.EnableChecksum();
  p->AddHeader(icmp);

  auto ipv4 = GetNode()->GetObject<ns3::Ipv4L3Protocol>();
  ns3::Ipv4Header probe;
  probe.SetDestination(m_remote);
  probe.SetProtocol(ns3::Icmpv4L4Protocol::PROT_NUMBER);
  ns3::Socket::SocketErrno err;
  ns3::Ptr<ns3::Ipv4Route> route = ipv4->GetRoutingProtocol()->RouteOutput(p, probe, nullptr, err);
  if (route) {
    auto icmpL4 = GetNode()->GetObject<ns3::Icmpv4L4Protocol>();
    m_sentAt[seq] = ns3::Simulator::Now();
    icmpL4->GetDownTarget()(p, route->GetSource(), m_remote, ns3::Icmpv4L4Protocol::PROT_NUMBER,
                            route);
  }
  ++m_sent;
  m_next = ns3::Simulator::Schedule(m_interval, &IcmpEchoClient::SendEcho, this);
}

void IcmpEchoClient::OnDeliver(ns3::Ptr<const ns3::Packet> segment, const ns3::Ipv4Header& header,
                               bool) {
  if (header.GetProtocol() != ns3::Icmpv4L4Protocol::PROT_NUMBER ||
      header.GetSource() != m_remote) {
    return;
  }
  uint8_t head[8];
  if (segment->CopyData(head, sizeof head) != sizeof head) return;
  if (head[0] != ns3::Icmpv4Header::ICMPV4_ECHO_REPLY) return;
  const uint16_t id = uint16_t(head[4] << 8 | head[5]);
  const uint16_t seq = uint16_t(head[6] << 8 | head[7]);
  auto it = m_sentAt.find(seq);
  if (id != m_identifier || it == m_sentAt.end()) return;
  ++m_received;
  m_rttTrace(ns3::Simulator::Now() - it->second);
  m_sentAt.erase(it);
}

}  // namespace ipsecsim::xfrm
