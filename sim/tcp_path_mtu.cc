#include "tcp_path_mtu.h"

#include <ns3/tcp-socket-base.h>
#include <ns3/tcp-tx-buffer.h>

namespace ipsecsim::sim {

using namespace ns3;

namespace {

constexpr uint8_t kDestinationUnreachable = 3, kFragmentationNeeded = 4;
constexpr uint32_t kIpv4AndTcpHeaders = 40;

// TcpSocketBase keeps its segment size in the protected m_tcb and offers no
// setter once connected; a pointer to member taken through a derived class
// reaches it without changing ns-3.
struct TcbAccess : TcpSocketBase {
  static Ptr<TcpSocketState> Of(TcpSocketBase* socket) { return socket->*(&TcbAccess::m_tcb); }
};

// `socket` is a plain pointer: the socket owns this callback, and a counted
// reference to itself would keep it (and its buffers) alive forever.
void OnIcmp(Socket* socket, Ipv4Address, uint8_t, uint8_t type, uint8_t code, uint32_t nextHopMtu) {
  if (type != kDestinationUnreachable || code != kFragmentationNeeded) return;
  if (nextHopMtu <= kIpv4AndTcpHeaders) return;
  auto* tcp = dynamic_cast<TcpSocketBase*>(socket);
  if (!tcp) return;
  Ptr<TcpSocketState> tcb = TcbAccess::Of(tcp);
  const uint32_t mss = nextHopMtu - kIpv4AndTcpHeaders;
  if (mss >= tcb->m_segmentSize) return;
  tcb->m_segmentSize = mss;
  tcp->GetTxBuffer()->SetSegmentSize(mss);
}

}  // namespace

void FollowPathMtu(Ptr<Socket> tcpSocket) {
  tcpSocket->SetAttribute("IcmpCallback",
                          CallbackValue(MakeCallback(&OnIcmp).Bind(PeekPointer(tcpSocket))));
}

}  // namespace ipsecsim::sim
