// Shared world for the IKE exchange tests: two nodes on a point-to-point
// link (IPv4 10.1.0.0/24, or IPv6 fd00:1::/64), each with an XfrmStack
// (trap packets held until the SA exists) and an IkeDaemon, certificates from
// the operator's signer, and a tap that records every frame put on the wire,
// parsed from its bytes.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "esp_sa_uat.h"
#include "ike_daemon.h"
#include "ikev2_decryption_table.h"
#include "node_enrollment.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "operator_signer.h"
#include "two_host_world.h"
#include "xfrm_helper.h"

namespace ipsecsim::ike {
inline std::ostream& operator<<(std::ostream& out, ConnectionState state) {
  return out << ConnectionStateName(state);
}
}  // namespace ipsecsim::ike

namespace ike_exchange_test {

using namespace ipsecsim;
using namespace ipsecsim::ike;

constexpr int64_t kEpoch = 1767225600;  // 2026-01-01T00:00:00Z
constexpr uint16_t kServicePort = 5001;
constexpr uint16_t kReplyPort = 7000;

// The operator's CA with two enrolled nodes, and a foreign CA that issued a
// certificate for node a's system-id. Built once: RSA keys are slow.
struct Pki {
  pki::OperatorSigner signer{pki::SignerConfig{20260101}, nullptr};
  pki::OperatorSigner foreignSigner{pki::SignerConfig{777}, nullptr};
  pki::NodeEnrollment a{"node-a", "system-a", 20260101};
  pki::NodeEnrollment b{"node-b", "system-b", 20260101};
  pki::NodeEnrollment aForeign{"node-a", "system-a", 777};

  static Pki& Get() {
    static Pki pki;
    return pki;
  }

  IkeIdentity IdentityOf(const pki::NodeEnrollment& node) const {
    return IkeIdentity{node.IkeId(), *node.Cert(), node.Key(), signer.Bundle()};
  }

 private:
  Pki() {
    signer.CreateCa(kEpoch);
    foreignSigner.CreateCa(kEpoch);
    pki::StartIpsecPod(a, signer, kEpoch, nullptr);
    pki::StartIpsecPod(b, signer, kEpoch, nullptr);
    pki::StartIpsecPod(aForeign, foreignSigner, kEpoch, nullptr);
  }
};

// a's connection "a-to-b" (auto=route): UDP from any port on a to b:5001.
inline ConnectionConfig AToB(const IpAddress& a, const IpAddress& b) {
  ConnectionConfig out;
  out.name = "a-to-b";
  out.localAddress = a;
  out.remoteAddress = b;
  out.remoteId = "@system-b";
  out.protocol = 17;
  out.remotePorts = PortSpan::Single(kServicePort);
  out.autoMode = AutoMode::kRoute;
  return out;
}
// b's mirror of it, "b-from-a" (auto=add), from `a` (a's address as b sees
// it) identified as `remoteId`.
inline ConnectionConfig BFromA(const IpAddress& b, const IpAddress& a,
                               const std::string& remoteId) {
  ConnectionConfig in;
  in.name = "b-from-a";
  in.localAddress = b;
  in.remoteAddress = a;
  in.remoteId = remoteId;
  in.protocol = 17;
  in.localPorts = PortSpan::Single(kServicePort);
  in.autoMode = AutoMode::kAdd;
  return in;
}

// A frame on the wire, IPv4 or IPv6, with what the IKE tests read of it.
struct WireFrame : ipsecsim::test::IpFrame {
  bool IsIke() const { return protocol == 17 && l4.size() >= 8 + 28 && DstPort() == 500; }
  bool IsIkeResponse() const { return IsIke() && (l4[8 + 19] & 0x20); }
  uint8_t IkeExchange() const { return IsIke() ? l4[8 + 18] : 0; }
  uint32_t EspSpi() const {
    return protocol == 50 && IsFirstFragment() && l4.size() >= 4
               ? uint32_t(l4[0]) << 24 | uint32_t(l4[1]) << 16 | uint32_t(l4[2]) << 8 | l4[3]
               : 0;
  }
};

// The keys the stacks and daemons of a test world announce through their
// trace sources, collected as a run's key log does.
struct KeyLogs {
  xfrm::EspSaLog esp;
  IkeSaKeyLog ike;
  void Watch(ns3::Ptr<xfrm::XfrmStack> stack) { esp.Watch(stack); }
  void Watch(ns3::Ptr<IkeDaemon> daemon) {
    daemon->TraceConnectWithoutContext("IkeSaKeys", ns3::MakeCallback(&IkeSaKeyLog::Add, &ike));
  }
};

class IkeWorld {
 public:
  explicit IkeWorld(const std::string& pcapPrefix = "", bool ipv6 = false) : ipv6(ipv6) {
    ns3::GlobalValue::Bind("ChecksumEnabled", ns3::BooleanValue(true));
    ns3::Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", ns3::BooleanValue(false));
    devices = ipsecsim::test::InstallTwoHosts(nodes);
    address = ipsecsim::test::AssignIpv4(devices);
    if (ipv6) address6 = ipsecsim::test::AssignIpv6(devices);
    xfrm::XfrmHelper helper;
    helper.SetStackAttribute("HoldUntilSa", ns3::BooleanValue(true));
    stacks = helper.Install(nodes);
    for (const auto& stack : stacks) keys.Watch(stack);
    ipsecsim::test::TapWire(
        devices, [this](ipsecsim::test::IpFrame f) { wire.push_back(WireFrame{std::move(f)}); });
    for (uint32_t i = 0; i < 2; ++i) {
      daemons[i] = ns3::CreateObject<IkeDaemon>();
      daemons[i]->SetAttribute("Seed", ns3::UintegerValue(42 + i));
      keys.Watch(daemons[i]);
    }
    if (!pcapPrefix.empty()) ns3::PointToPointHelper().EnablePcapAll(pcapPrefix, false);
  }
  ~IkeWorld() {
    for (auto& d : daemons) d->Dispose();
    ns3::Simulator::Destroy();
  }

  // a initiates "a-to-b" (auto=route): UDP from any port on a to b:5001.
  // b loads "b-from-a" (auto=add) with the mirrored selectors.
  // With `bUp` false node b runs no IKE daemon (peer down).
  void Configure(IkeIdentity a, IkeIdentity b, const std::string& bExpectsId = "@system-a",
                 bool bUp = true) {
    daemons[0]->Start(nodes.Get(0), std::move(a));
    if (bUp) daemons[1]->Start(nodes.Get(1), std::move(b));
    aConnection = AToB(IpAddressOf(Ip(0)), IpAddressOf(Ip(1)));
    bConnection = BFromA(IpAddressOf(Ip(1)), IpAddressOf(Ip(0)), bExpectsId);
  }
  void Load() {
    daemons[0]->AddConnection(aConnection);
    daemons[1]->AddConnection(bConnection);  // harmless when b's daemon is not started
  }
  void ConfigureDefault() {
    Configure(Pki::Get().IdentityOf(Pki::Get().a), Pki::Get().IdentityOf(Pki::Get().b));
  }

  struct Sink {
    uint32_t packets = 0;
    std::vector<ns3::Time> arrivals;
  };
  // A UDP socket on `node` bound to `port` that counts what arrives and, with
  // `echo`, sends each datagram back to its sender.
  Sink& UdpSink(int node, uint16_t port, bool echo = false) {
    sinks.push_back(std::make_unique<Sink>());
    Sink* sink = sinks.back().get();
    auto socket = ns3::Socket::CreateSocket(nodes.Get(node), ns3::UdpSocketFactory::GetTypeId());
    const auto family = ipv6 ? IpAddress::Family::kIpv6 : IpAddress::Family::kIpv4;
    socket->Bind(SocketAddressOf(IpAddress::Any(family), port));
    socket->SetRecvCallback(ns3::MakeCallback(&IkeWorld::OnUdp).Bind(sink, echo));
    sockets.push_back(socket);
    return *sink;
  }
  // Sends `count` datagrams from `node`'s port `srcPort`; returns what comes back to it.
  Sink& UdpSend(int node, uint16_t srcPort, uint16_t dstPort, uint32_t count, ns3::Time start,
                ns3::Time gap = ns3::MilliSeconds(100)) {
    Sink& replies = UdpSink(node, srcPort);
    auto socket = sockets.back();
    const ns3::Address to = SocketAddressOf(IpAddressOf(Ip(1 - node)), dstPort);
    for (uint32_t i = 0; i < count; ++i) {
      ns3::Simulator::Schedule(start + gap * i, [socket, to]() {
        socket->SendTo(ns3::Create<ns3::Packet>(200), 0, to);
      });
    }
    return replies;
  }
  // Drops the frames that node `node` receives with these indices (0 = first).
  void DropReceived(int node, std::list<uint32_t> indices) {
    auto model = ns3::CreateObject<ns3::ReceiveListErrorModel>();
    model->SetList(indices);
    devices.Get(node)->SetAttribute("ReceiveErrorModel", ns3::PointerValue(model));
  }

  // Runs the simulation until `end`; returns the wall time in seconds.
  double Run(ns3::Time end) {
    ns3::Simulator::Stop(end);
    const auto start = std::chrono::steady_clock::now();
    ns3::Simulator::Run();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  std::vector<WireFrame> Frames(std::function<bool(const WireFrame&)> pred) const {
    std::vector<WireFrame> out;
    for (const auto& f : wire)
      if (pred(f)) out.push_back(f);
    return out;
  }
  size_t Count(std::function<bool(const WireFrame&)> pred) const { return Frames(pred).size(); }

  // Node i's address in the world's family (Ipv4Address or Ipv6Address).
  ns3::Address Ip(int i) const {
    return ipv6 ? ns3::Address(address6[i]) : ns3::Address(address[i]);
  }

  bool ipv6 = false;
  ns3::NodeContainer nodes;
  ns3::NetDeviceContainer devices;
  std::array<ns3::Ipv4Address, 2> address;
  std::array<ns3::Ipv6Address, 2> address6;  // with ipv6
  std::vector<ns3::Ptr<xfrm::XfrmStack>> stacks;
  ns3::Ptr<IkeDaemon> daemons[2];
  KeyLogs keys;
  ConnectionConfig aConnection;
  ConnectionConfig bConnection;
  std::vector<WireFrame> wire;

 private:
  static void OnUdp(Sink* sink, bool echo, ns3::Ptr<ns3::Socket> socket) {
    ns3::Address from;
    while (auto p = socket->RecvFrom(from)) {
      ++sink->packets;
      sink->arrivals.push_back(ns3::Simulator::Now());
      if (echo) socket->SendTo(p, 0, from);
    }
  }
  std::vector<std::unique_ptr<Sink>> sinks;
  std::vector<ns3::Ptr<ns3::Socket>> sockets;
};

inline std::string DumpLogs(const IkeWorld& w) {
  std::string text;
  for (const auto& d : w.daemons)
    for (const auto& line : d->Log()) text += line + "\n";
  return text;
}

}  // namespace ike_exchange_test
