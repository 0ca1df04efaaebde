// Shared world for the xfrm integration tests: two hosts on a point-to-point
// link, each with an XfrmStack, and a tap that records every frame put on
// the wire, parsed from its bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "two_host_world.h"
#include "xfrm_helper.h"

namespace xfrm_test {

using namespace ipsecsim::xfrm;

// A frame on the wire (IPv4 only: the hosts have no IPv6 addresses).
struct WireFrame : ipsecsim::test::IpFrame {
  uint32_t Spi() const {  // ESP, or ESP in UDP
    const size_t at = protocol == 50 ? 0 : 8;
    if (l4.size() < at + 4) return 0;
    return uint32_t(l4[at]) << 24 | uint32_t(l4[at + 1]) << 16 | uint32_t(l4[at + 2]) << 8 |
           l4[at + 3];
  }
};

class TwoHosts {
 public:
  explicit TwoHosts(bool holdUntilSa = false) {
    ns3::GlobalValue::Bind("ChecksumEnabled", ns3::BooleanValue(true));
    devices = ipsecsim::test::InstallTwoHosts(hosts);
    const auto addresses = ipsecsim::test::AssignIpv4(devices);
    for (uint32_t i = 0; i < 2; ++i) {  // hosts, not routers
      hosts.Get(i)->GetObject<ns3::Ipv4>()->SetAttribute("IpForward", ns3::BooleanValue(false));
    }
    a = addresses[0];
    b = addresses[1];
    XfrmHelper helper;
    helper.SetStackAttribute("HoldUntilSa", ns3::BooleanValue(holdUntilSa));
    xfrm = helper.Install(hosts);
    ipsecsim::test::TapWire(devices, [this](ipsecsim::test::IpFrame f) {
      if (!f.ipv6) wire.push_back(WireFrame{std::move(f)});
    });
  }
  ~TwoHosts() { ns3::Simulator::Destroy(); }

  ns3::Ipv4Address Addr(int i) const { return i == 0 ? a : b; }

  // Policies on both hosts for `protocol` to/from `port` on host b.
  void AddServicePolicies(uint8_t protocol, uint16_t port, PolicyAction action,
                          uint32_t reqid = 0) {
    for (int i = 0; i < 2; ++i) {
      const ns3::Ipv4Address local = Addr(i), remote = Addr(1 - i);
      for (bool toServer : {true, false}) {
        const PortRange sport = toServer ? PortRange::Any() : PortRange::Single(port);
        const PortRange dport = toServer ? PortRange::Single(port) : PortRange::Any();
        Policy out;
        out.selector = {IpPrefix::Host(local), IpPrefix::Host(remote), protocol, sport, dport};
        out.direction = Direction::kOut;
        out.action = action;
        out.tmpl.reqid = reqid;
        xfrm[i]->AddPolicy(out);
        Policy in = out;
        in.selector.src = IpPrefix::Host(remote);
        in.selector.dst = IpPrefix::Host(local);
        in.direction = Direction::kIn;
        xfrm[i]->AddPolicy(in);
      }
    }
  }

  static ipsecsim::Bytes Keymat(uint32_t spi) {
    ipsecsim::Bytes k(36);
    for (size_t i = 0; i < k.size(); ++i) k[i] = uint8_t(spi * 13 + i * 29 + 7);
    return k;
  }

  StateConfig State(int from, uint32_t spi) const {
    StateConfig s;
    s.src = Addr(from);
    s.dst = Addr(1 - from);
    s.spi = spi;
    s.reqid = 1;
    s.keymat = Keymat(spi);
    return s;
  }

  // Installs the SA from host `from` to the other host on both hosts.
  void AddSa(const StateConfig& s) {
    for (int i = 0; i < 2; ++i) {
      std::string error;
      if (!xfrm[i]->AddState(s, &error)) throw std::runtime_error(error);
    }
  }
  void AddSaPair(uint32_t spiAtoB = 0x1001, uint32_t spiBtoA = 0x2001, bool encap = false) {
    StateConfig ab = State(0, spiAtoB), ba = State(1, spiBtoA);
    if (encap) ab.encap = ba.encap = UdpEncap{};
    AddSa(ab);
    AddSa(ba);
  }

  // A UDP socket on host `node` bound to `port` counting what arrives.
  struct Sink {
    uint64_t bytes = 0;
    uint32_t packets = 0;
    std::vector<uint32_t> sizes;
  };
  Sink& UdpSink(int node, uint16_t port) {
    sinks.push_back(std::make_unique<Sink>());
    Sink* sink = sinks.back().get();
    auto socket = ns3::Socket::CreateSocket(hosts.Get(node), ns3::UdpSocketFactory::GetTypeId());
    socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
    socket->SetRecvCallback(ns3::MakeCallback(&TwoHosts::OnUdp).Bind(sink));
    sockets.push_back(socket);
    return *sink;
  }
  // Sends `count` datagrams of `size` bytes from host `node`, one every `gap`.
  void UdpSend(int node, uint16_t port, uint32_t size, uint32_t count, ns3::Time start,
               ns3::Time gap = ns3::MilliSeconds(10), uint16_t srcPort = 0) {
    auto socket = ns3::Socket::CreateSocket(hosts.Get(node), ns3::UdpSocketFactory::GetTypeId());
    socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), srcPort));
    sockets.push_back(socket);
    const ns3::InetSocketAddress to(Addr(1 - node), port);
    for (uint32_t i = 0; i < count; ++i) {
      ns3::Simulator::Schedule(start + gap * i, [socket, to, size]() {
        socket->SendTo(ns3::Create<ns3::Packet>(size), 0, to);
      });
    }
  }

  // Puts raw IPv4 bytes (header built here) on the wire from host `from`.
  void InjectIpv4(int from, uint8_t protocol, const std::vector<uint8_t>& l4, ns3::Time at) {
    ns3::Ptr<ns3::NetDevice> dev = devices.Get(from);
    const ns3::Ipv4Address src = Addr(from), dst = Addr(1 - from);
    ns3::Simulator::Schedule(at, [dev, src, dst, protocol, l4]() {
      auto p = ns3::Create<ns3::Packet>(l4.data(), l4.size());
      ns3::Ipv4Header h;
      h.SetSource(src);
      h.SetDestination(dst);
      h.SetProtocol(protocol);
      h.SetPayloadSize(uint16_t(l4.size()));
      h.SetTtl(64);
      h.EnableChecksum();
      p->AddHeader(h);
      dev->Send(p, dev->GetBroadcast(), 0x0800);
    });
  }

  // A UDP datagram from host `from` with a valid checksum.
  std::vector<uint8_t> Udp(int from, uint16_t sport, uint16_t dport,
                           const std::vector<uint8_t>& payload) const {
    std::vector<uint8_t> d = {uint8_t(sport >> 8),
                              uint8_t(sport),
                              uint8_t(dport >> 8),
                              uint8_t(dport),
                              uint8_t((payload.size() + 8) >> 8),
                              uint8_t(payload.size() + 8),
                              0,
                              0};
    for (uint8_t byte : payload) d.push_back(byte);
    uint32_t sum = 17 + uint32_t(d.size());
    for (uint32_t addr : {Addr(from).Get(), Addr(1 - from).Get()})
      sum += (addr >> 16) + (addr & 0xffff);
    for (size_t i = 0; i < d.size(); i += 2) {
      sum += uint32_t(d[i]) << 8 | (i + 1 < d.size() ? d[i + 1] : 0);
    }
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    const uint16_t checksum = uint16_t(~sum) == 0 ? 0xffff : uint16_t(~sum);
    d[6] = uint8_t(checksum >> 8);
    d[7] = uint8_t(checksum);
    return d;
  }

  std::vector<WireFrame> Frames(std::function<bool(const WireFrame&)> pred) const {
    std::vector<WireFrame> out;
    for (const auto& f : wire) {
      if (pred(f)) out.push_back(f);
    }
    return out;
  }

  ns3::NodeContainer hosts;
  ns3::NetDeviceContainer devices;
  ns3::Ipv4Address a, b;
  std::vector<ns3::Ptr<XfrmStack>> xfrm;
  std::vector<WireFrame> wire;

 private:
  static void OnUdp(Sink* sink, ns3::Ptr<ns3::Socket> socket) {
    while (auto p = socket->Recv()) {
      sink->bytes += p->GetSize();
      sink->sizes.push_back(p->GetSize());
      ++sink->packets;
    }
  }
  std::vector<std::unique_ptr<Sink>> sinks;
  std::vector<ns3::Ptr<ns3::Socket>> sockets;
};

}  // namespace xfrm_test
