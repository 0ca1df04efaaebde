#include "tcp_path_mtu.h"

#include <ns3/tcp-socket-base.h>

#include "linux_ip_output.h"
#include "linux_tcp.h"

namespace ipsecsim::sim {

using namespace ns3;

namespace {

constexpr uint8_t kDestinationUnreachable = 3, kFragmentationNeeded = 4;

// `socket` is a plain pointer: the socket owns this callback, and a counted
// reference to itself would keep it (and its buffers) alive forever.
void OnIcmp(Socket* socket, Ipv4Address, uint8_t, uint8_t type, uint8_t code, uint32_t nextHopMtu) {
  if (type != kDestinationUnreachable || code != kFragmentationNeeded) return;
  auto* tcp = dynamic_cast<TcpSocketBase*>(socket);
  if (!tcp) return;
  // The route's MTU once the ICMP is learned, never under ip_rt_min_pmtu.
  const uint32_t payload = SegmentPayload(MssForMtu(std::max(nextHopMtu, kIpRtMinPmtu)));
  if (payload >= SegmentPayloadOf(tcp)) return;
  SetSegmentPayload(tcp, payload);
}

}  // namespace

void FollowPathMtu(Ptr<Socket> tcpSocket) {
  tcpSocket->SetAttribute("IcmpCallback",
                          CallbackValue(MakeCallback(&OnIcmp).Bind(PeekPointer(tcpSocket))));
}

}  // namespace ipsecsim::sim
