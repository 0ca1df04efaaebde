#include "linux_tcp.h"

#include <ns3/ip-l4-protocol.h>
#include <ns3/ipv4-route.h>
#include <ns3/tcp-header.h>
#include <ns3/tcp-l4-protocol.h>
#include <ns3/tcp-option-rfc793.h>
#include <ns3/tcp-tx-buffer.h>

#include "linux_ip_output.h"

namespace ipsecsim::sim {

using namespace ns3;

namespace {

// A pointer to member taken through a derived class reaches the protected
// m_tcb without changing ns-3.
struct TcbAccess : TcpSocketBase {
  static Ptr<TcpSocketState> Of(const TcpSocketBase* socket) {
    return socket->*(&TcbAccess::m_tcb);
  }
};

uint32_t PeerMss(const TcpHeader& header) {
  if (!header.HasOption(TcpOption::MSS)) return kTcpDefaultMss;
  Ptr<const TcpOptionMSS> mss = DynamicCast<const TcpOptionMSS>(header.GetOption(TcpOption::MSS));
  return mss ? mss->GetMSS() : kTcpDefaultMss;
}

// The same header with the MSS option first, as Linux orders a SYN's
// options; a deserialized header's end-of-list padding would otherwise come
// before an appended option and hide it.
TcpHeader WithMssFirst(const TcpHeader& header, Ptr<const TcpOptionMSS> mss) {
  TcpHeader out;
  out.SetSourcePort(header.GetSourcePort());
  out.SetDestinationPort(header.GetDestinationPort());
  out.SetSequenceNumber(header.GetSequenceNumber());
  out.SetAckNumber(header.GetAckNumber());
  out.SetFlags(header.GetFlags());
  out.SetWindowSize(header.GetWindowSize());
  out.SetUrgentPointer(header.GetUrgentPointer());
  out.AppendOption(mss);
  for (const Ptr<const TcpOption>& option : header.GetOptionList()) {
    if (option->GetKind() != TcpOption::END && option->GetKind() != TcpOption::NOP) {
      out.AppendOption(option);
    }
  }
  return out;
}

}  // namespace

void SetSegmentPayload(TcpSocketBase* socket, uint32_t bytes) {
  TcbAccess::Of(socket)->m_segmentSize = bytes;
  socket->GetTxBuffer()->SetSegmentSize(bytes);
}

uint32_t SegmentPayloadOf(const TcpSocketBase* socket) {
  return TcbAccess::Of(socket)->m_segmentSize;
}

void AdvertiseMss(Ptr<Node> node) {
  Ptr<TcpL4Protocol> tcp = node->GetObject<TcpL4Protocol>();
  Ptr<LinuxIpv4Output> output = node->GetObject<LinuxIpv4Output>();
  if (!tcp || !output) return;
  const IpL4Protocol::DownTargetCallback lower = tcp->GetDownTarget();
  LinuxIpv4Output* routes = PeekPointer(output);  // the node owns both
  tcp->SetDownTarget(IpL4Protocol::DownTargetCallback(
      [lower, routes](Ptr<Packet> segment, Ipv4Address src, Ipv4Address dst, uint8_t protocol,
                      Ptr<Ipv4Route> route) {
        TcpHeader header;
        segment->PeekHeader(header);
        if ((header.GetFlags() & TcpHeader::SYN) && !header.HasOption(TcpOption::MSS)) {
          segment->RemoveHeader(header);
          Ptr<TcpOptionMSS> mss = CreateObject<TcpOptionMSS>();
          mss->SetMSS(uint16_t(MssForMtu(routes->SocketRouteMtu(dst))));
          // The checksum is filled below, by the node's ChecksumOffload.
          segment->AddHeader(WithMssFirst(header, mss));
        }
        lower(segment, src, dst, protocol, route);
      }));
}

void NegotiateMss(Ptr<Socket> tcpSocket, uint32_t ownMss) {
  tcpSocket->SetAttribute("SegmentSize", UintegerValue(SegmentPayload(ownMss)));
  tcpSocket->TraceConnectWithoutContext(
      "Rx",
      Callback<void, Ptr<const Packet>, const TcpHeader&, Ptr<const TcpSocketBase>>(
          [ownMss](Ptr<const Packet>, const TcpHeader& header, Ptr<const TcpSocketBase> socket) {
            if (!(header.GetFlags() & TcpHeader::SYN)) return;
            const uint32_t mss = std::min(ownMss, PeerMss(header));
            SetSegmentPayload(const_cast<TcpSocketBase*>(PeekPointer(socket)), SegmentPayload(mss));
          }));
}

}  // namespace ipsecsim::sim
