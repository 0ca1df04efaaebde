#include "probe_mesh.h"

#include "flow_marker.h"

namespace ipsecsim::sim {

using namespace ns3;

ProbeMesh::ProbeMesh(ClusterWorld& world, int firstMarker, double intervalSeconds, uint32_t size)
    : interval_(intervalSeconds), size_(size), firstMarker_(firstMarker) {
  for (uint32_t n = 0; n < world.NodeCount(); ++n) {
    pods_.push_back(world.AddClusterPod(n));
    Ptr<Socket> socket = Socket::CreateSocket(pods_.back().node, UdpSocketFactory::GetTypeId());
    socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
    socket->SetRecvCallback(MakeCallback(&ProbeMesh::OnReceive, this));
    sockets_.push_back(socket);
  }
  int marker = firstMarker;
  for (uint32_t a = 0; a < world.NodeCount(); ++a)
    for (uint32_t b = 0; b < world.NodeCount(); ++b)
      if (a != b) pairs_.push_back(Pair{a, b, marker++, {}, {}});
}

void ProbeMesh::Start(double seconds) {
  Simulator::Schedule(Seconds(seconds), [this] { Tick(); });
}

void ProbeMesh::Tick() {
  const double now = Simulator::Now().GetSeconds();
  if (const double wait = NextObservation(quiet_, 0, 0); wait > 0) {
    Simulator::Schedule(Seconds(wait), [this] { Tick(); });
    return;
  }
  for (Pair& p : pairs_) {
    std::vector<uint8_t> payload = MarkedPayload(p.marker, size_);
    const uint32_t seq = uint32_t(p.sentAt.size());
    WriteSequence(payload, seq);
    Ptr<Packet> packet = Create<Packet>(payload.data(), payload.size());
    p.sentAt.push_back(now);
    p.delivered.push_back(false);
    sockets_[p.from]->SendTo(packet, 0, InetSocketAddress(pods_[p.to].address, kPort));
  }
  Simulator::Schedule(Seconds(interval_), [this] { Tick(); });
}

void ProbeMesh::OnReceive(Ptr<Socket> socket) {
  while (Ptr<Packet> packet = socket->Recv()) {
    if (packet->GetSize() < kMarkerLen + 4) continue;
    std::vector<uint8_t> head(kMarkerLen + 4);
    packet->CopyData(head.data(), head.size());
    int marker = -1;
    FindFlowMarkers(head.data(), kMarkerLen, [&](int m) { marker = m; });
    const int index = marker - firstMarker_;
    if (marker < 0 || index < 0 || size_t(index) >= pairs_.size()) continue;
    const uint32_t seq = ReadSequence(head);
    Pair& p = pairs_[size_t(index)];
    if (seq < p.delivered.size()) p.delivered[seq] = true;
  }
}

}  // namespace ipsecsim::sim
