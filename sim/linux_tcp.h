// TCP segment sizes as Linux chooses them, where ns-3's TcpSocketBase sends
// whatever SegmentSize it was given and no MSS option:
// - SYN and SYN-ACK carry an MSS option of the route's MTU minus 40 (IPv4 and
//   TCP headers: tcp_advertise_mss, ipv4_default_advmss in net/ipv4/route.c);
// - a connection's segments carry min(own MSS, the peer's MSS) minus the
//   12 bytes of the timestamp option every segment carries
//   (__tcp_mtu_to_mss / tcp_mtu_to_mss, net/ipv4/tcp_output.c), so that a
//   full segment is exactly the route's MTU; a peer without the option
//   counts as 536 (TCP_MSS_DEFAULT);
// - ICMP "fragmentation needed" lowers it the same way (tcp_path_mtu.h).
// DF on every segment is set by the node's IPv4 output (linux_ip_output.h).
#pragma once

#include <ns3/node.h>
#include <ns3/socket.h>
#include <ns3/tcp-socket-base.h>

#include <cstdint>
#include <functional>

namespace ipsecsim::sim {

constexpr uint32_t kIpv4TcpHeaders = 20 + 20;
constexpr uint32_t kTcpTimestampOption = 12;  // TCPOLEN_TSTAMP_ALIGNED
constexpr uint32_t kTcpDefaultMss = 536;      // TCP_MSS_DEFAULT
constexpr uint32_t kTcpMinSndMss = 48;        // net.ipv4.tcp_min_snd_mss

// The MSS advertised for a route MTU, and the payload of a full segment.
constexpr uint32_t MssForMtu(uint32_t mtu) { return mtu - kIpv4TcpHeaders; }
constexpr uint32_t SegmentPayload(uint32_t mss) {
  return std::max(mss, kTcpMinSndMss) - kTcpTimestampOption;
}
static_assert(MssForMtu(1400) == 1360 && SegmentPayload(1360) == 1348);

// The segment size of a connected socket: ns-3 keeps it in protected state
// and offers no setter once the socket is open.
void SetSegmentPayload(ns3::TcpSocketBase* socket, uint32_t bytes);
uint32_t SegmentPayloadOf(const ns3::TcpSocketBase* socket);

// Appends the MSS option to every SYN the node's TCP sends, from the
// route's MTU to the destination (the node's LinuxIpv4Output). Install it
// after the node's xfrm hooks, so that the option is added before xfrm.
void AdvertiseMss(ns3::Ptr<ns3::Node> node);

// Sets the socket's segment payload from its own MSS and the MSS of the
// peer's SYN or SYN-ACK when it arrives.
void NegotiateMss(ns3::Ptr<ns3::Socket> tcpSocket, uint32_t ownMss);

}  // namespace ipsecsim::sim
