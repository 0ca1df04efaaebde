// The applications that drive a scenario's flows. Every payload is the flow's
// marker repeated (flow_marker.h); receivers count only bytes that carry the
// marker of the flow they are attributed to.
#pragma once

#include <ns3/internet-module.h>
#include <ns3/network-module.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ipsecsim::sim {

enum class FlowProtocol { kUdp, kTcp, kIcmp };

struct FlowPlan {
  int index = 0;  // the marker's number
  FlowProtocol protocol = FlowProtocol::kUdp;
  ns3::Ptr<ns3::Node> from;
  ns3::Ptr<ns3::Node> to;
  ns3::Ipv4Address toAddress;
  uint16_t port = 0;
  uint32_t packets = 0;
  uint32_t size = 0;
  double startSeconds = 0;
  double intervalSeconds = 0;
  // UDP: the 4 bytes after the first marker carry a sequence number, so that
  // each datagram's fate is known (lifecycle runs; needs size >= 20).
  bool numbered = false;
};

struct FlowTally {
  uint64_t sent = 0;       // datagrams, writes, or echo requests
  uint64_t delivered = 0;  // datagrams, whole writes, or echo replies
  uint64_t bytesSent = 0;
  uint64_t bytesDelivered = 0;
  // Numbered UDP flows: when each datagram was sent, and whether it arrived.
  std::vector<double> sentAt;
  std::vector<bool> arrived;
};

class TrafficManager {
 public:
  void Add(const FlowPlan& plan);
  // When the last packet of any flow is scheduled to leave.
  double LastSendSeconds() const;
  const FlowTally& Tally(int index) const { return tallies_.at(index); }

 private:
  struct Sink;
  void StartUdp(const FlowPlan& plan);
  void StartTcp(const FlowPlan& plan);
  void StartIcmp(const FlowPlan& plan);
  Sink& SinkFor(ns3::Ptr<ns3::Node> node, FlowProtocol protocol, uint16_t port);
  void OnUdpReceive(ns3::Ptr<ns3::Socket> socket);
  void OnTcpAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
  void OnTcpReceive(ns3::Ptr<ns3::Socket> socket);
  void OnIcmpReceive(ns3::Ptr<ns3::Socket> socket);
  // Sends an echo request as Linux ping does: through xfrm when a policy
  // protects it (ns-3's raw sockets bypass the xfrm hooks; Linux's do not).
  bool SendEcho(const FlowPlan& plan, ns3::Ptr<ns3::Socket> raw, ns3::Ptr<ns3::Packet> message);
  // Echo replies that arrive in ESP, which reach ICMP but no raw socket.
  void OnDecryptedDelivery(ns3::Ptr<const ns3::Packet> segment, const ns3::Ipv4Header& header,
                           bool decrypted);
  // Once per echo: a reply decrypted from tunnel-mode ESP reaches both the
  // raw socket and the xfrm Deliver trace.
  void CountEchoReply(int flow, uint16_t sequence, uint32_t dataSize);
  void OnTcpConnected(ns3::Ptr<ns3::Socket> socket);
  void TcpSendMore(ns3::Ptr<ns3::Socket> socket, uint32_t available);
  void Attribute(const uint8_t* data, size_t len, int* flow);
  // Linux's MSS option on the node's SYNs, once per node and after its xfrm
  // hooks (flows start after IPsec is installed).
  void EnsureLinuxTcp(ns3::Ptr<ns3::Node> node);

  struct Sink {
    ns3::Ptr<ns3::Socket> socket;
  };
  struct TcpSender {
    int index;
    uint32_t writesLeft;
    uint32_t size;
    uint32_t offset;  // bytes of the current write already accepted
  };
  std::map<std::tuple<uint32_t, int, uint16_t>, Sink> sinks_;
  std::map<ns3::Ptr<ns3::Socket>, int> tcpConnectionFlow_;  // receiver side, -1 until known
  std::map<ns3::Ptr<ns3::Socket>, TcpSender> tcpSenders_;
  std::map<int, FlowTally> tallies_;
  std::map<int, FlowPlan> plans_;
  std::map<int, ns3::Ptr<ns3::Socket>> icmpSockets_;
  std::set<uint32_t> linuxTcpNodes_;
  std::set<uint32_t> decryptedEchoNodes_;  // nodes whose xfrm Deliver trace is watched
  std::set<std::pair<int, uint16_t>> echoRepliesCounted_;  // (flow, sequence)
};

}  // namespace ipsecsim::sim
