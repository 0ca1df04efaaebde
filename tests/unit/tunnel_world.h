// Two dual-stack hosts on a point-to-point link whose inner ("site")
// addresses are reached through a tunnel-mode ESP SA between their link
// ("gateway") addresses, of either family. Every IP frame on the wire is kept
// as bytes, PPP header stripped.
#pragma once

#include <array>
#include <ostream>
#include <string>
#include <vector>

#include "esp_sa_uat.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "two_host_world.h"
#include "xfrm_helper.h"

namespace ipsecsim::test {

enum class Family { kIpv4, kIpv6 };

struct TunnelCase {
  Family outer = Family::kIpv4;
  Family inner = Family::kIpv4;
  bool encap = false;
  std::string Name() const {
    return std::string(inner == Family::kIpv4 ? "ipv4" : "ipv6") + "-in-" +
           (outer == Family::kIpv4 ? "ipv4" : "ipv6") + (encap ? "-udp" : "");
  }
};

// Each outer family with the same inner one, with and without UDP 4500, and
// the two mixed ones.
inline const std::vector<TunnelCase> kTunnelCases = {
    {Family::kIpv4, Family::kIpv4, false}, {Family::kIpv4, Family::kIpv4, true},
    {Family::kIpv6, Family::kIpv6, false}, {Family::kIpv6, Family::kIpv6, true},
    {Family::kIpv6, Family::kIpv4, false}, {Family::kIpv4, Family::kIpv6, true},
};

inline std::ostream& operator<<(std::ostream& os, const TunnelCase& c) { return os << c.Name(); }

class TunnelWorld {
 public:
  static constexpr uint16_t kPort = 7000;
  static constexpr uint32_t kSpiAtoB = 0x7001, kSpiBtoA = 0x7002;

  explicit TunnelWorld(TunnelCase c) : tunnel(c) {
    ns3::Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", ns3::BooleanValue(false));
    devices = InstallTwoHosts(hosts);
    gateway4 = AssignIpv4(devices);
    gateway6 = AssignIpv6(devices);
    for (int i = 0; i < 2; ++i) AddSite(i);
    xfrm = xfrm::XfrmHelper().Install(hosts);
    for (const auto& stack : xfrm) keys.Watch(stack);
    for (uint32_t i = 0; i < devices.GetN(); ++i) {
      devices.Get(i)->TraceConnectWithoutContext(
          "PhyTxBegin",
          ns3::Callback<void, ns3::Ptr<const ns3::Packet>>([this](ns3::Ptr<const ns3::Packet> f) {
            std::vector<uint8_t> bytes(f->GetSize());
            f->CopyData(bytes.data(), bytes.size());
            const bool ip =
                bytes.size() > 2 && bytes[0] == 0 && (bytes[1] == 0x21 || bytes[1] == 0x57);
            const bool ndp = bytes.size() > 8 && bytes[1] == 0x57 && bytes[8] == 58;
            if (ip && !ndp) wire.emplace_back(bytes.begin() + 2, bytes.end());
          }));
    }
  }
  ~TunnelWorld() { ns3::Simulator::Destroy(); }

  ns3::Address Gateway(int host) const {
    return tunnel.outer == Family::kIpv4 ? ns3::Address(gateway4[host])
                                         : ns3::Address(gateway6[host]);
  }
  ns3::Address Site(int host) const {
    return tunnel.inner == Family::kIpv4 ? ns3::Address(site4[host]) : ns3::Address(site6[host]);
  }

  // The tunnel policy `dir` on host `at` for UDP from site `from` to the
  // other site's port kPort, with a template between the gateways.
  xfrm::Policy SitePolicy(int at, int from, xfrm::Direction dir) const {
    xfrm::Policy p;
    p.selector = {xfrm::IpPrefix::Host(Site(from)), xfrm::IpPrefix::Host(Site(1 - from)),
                  xfrm::kProtoUdp, xfrm::PortRange::Any(), xfrm::PortRange::Single(kPort)};
    p.direction = dir;
    p.tmpl.mode = xfrm::XfrmMode::kTunnel;
    p.tmpl.local = Gateway(at);
    p.tmpl.peer = Gateway(1 - at);
    p.tmpl.reqid = 1;
    return p;
  }

  // A -> B: out on A, in on B.
  void AddPolicies() {
    xfrm[0]->AddPolicy(SitePolicy(0, 0, xfrm::Direction::kOut));
    xfrm[1]->AddPolicy(SitePolicy(1, 0, xfrm::Direction::kIn));
  }

  xfrm::StateConfig State(int from) const {
    xfrm::StateConfig s;
    s.src = Gateway(from);
    s.dst = Gateway(1 - from);
    s.spi = from == 0 ? kSpiAtoB : kSpiBtoA;
    s.reqid = 1;
    s.mode = xfrm::XfrmMode::kTunnel;
    s.keymat = Bytes(36, uint8_t(0x50 + from));
    if (tunnel.encap) s.encap = xfrm::UdpEncap{};
    return s;
  }

  void AddStates(xfrm::TunnelFlags flags = {}) {
    for (int from = 0; from < 2; ++from) {
      xfrm::StateConfig s = State(from);
      s.flags = flags;
      for (int i = 0; i < 2; ++i) {
        std::string error;
        BOOST_REQUIRE_MESSAGE(xfrm[i]->AddState(s, &error), error);
      }
    }
  }

  // Sends `count` UDP datagrams of `size` bytes from site A to site B's kPort,
  // with this IPv4 TOS or IPv6 traffic class.
  void Send(uint32_t size, uint32_t count, uint8_t tos = 0) {
    const bool v6 = tunnel.inner == Family::kIpv6;
    auto sink = ns3::Socket::CreateSocket(hosts.Get(1), ns3::UdpSocketFactory::GetTypeId());
    auto source = ns3::Socket::CreateSocket(hosts.Get(0), ns3::UdpSocketFactory::GetTypeId());
    if (v6) {
      sink->Bind(ns3::Inet6SocketAddress(site6[1], kPort));
      source->Bind(ns3::Inet6SocketAddress(site6[0], 0));
      source->SetIpv6Tclass(tos);
    } else {
      sink->Bind(ns3::InetSocketAddress(site4[1], kPort));
      source->Bind(ns3::InetSocketAddress(site4[0], 0));
    }
    sink->SetRecvCallback(ns3::MakeCallback(&TunnelWorld::OnReceive, this));
    sockets.push_back(sink);
    sockets.push_back(source);
    ns3::InetSocketAddress to4(site4[1], kPort);
    to4.SetTos(tos);  // ns-3's UDP SendTo takes the TOS from the address
    const ns3::Address to =
        v6 ? ns3::Address(ns3::Inet6SocketAddress(site6[1], kPort)) : ns3::Address(to4);
    for (uint32_t i = 0; i < count; ++i) {
      ns3::Simulator::Schedule(ns3::MilliSeconds(10 * (i + 1)), [source, to, size]() {
        source->SendTo(ns3::Create<ns3::Packet>(size), 0, to);
      });
    }
    ns3::Simulator::Stop(ns3::Seconds(1));
    ns3::Simulator::Run();
  }

  void OnReceive(ns3::Ptr<ns3::Socket> socket) {
    ns3::Address from;
    while (ns3::Ptr<ns3::Packet> p = socket->RecvFrom(from)) {
      received.push_back(p->GetSize());
      senders.push_back(from);
    }
  }

  TunnelCase tunnel;
  ns3::NodeContainer hosts;
  ns3::NetDeviceContainer devices;
  std::array<ns3::Ipv4Address, 2> gateway4;
  std::array<ns3::Ipv6Address, 2> gateway6;
  std::array<ns3::Ipv4Address, 2> site4{ns3::Ipv4Address("192.168.1.1"),
                                        ns3::Ipv4Address("192.168.2.1")};
  std::array<ns3::Ipv6Address, 2> site6{ns3::Ipv6Address("fd00:a::1"),
                                        ns3::Ipv6Address("fd00:b::1")};
  std::vector<ns3::Ptr<xfrm::XfrmStack>> xfrm;
  xfrm::EspSaLog keys;
  std::vector<ns3::Ptr<ns3::Socket>> sockets;
  std::vector<uint32_t> received;
  std::vector<ns3::Address> senders;
  std::vector<std::vector<uint8_t>> wire;  // IP packets, as sent

 private:
  // The site addresses sit on the link device; each host routes the other
  // site through the other host's gateway address.
  void AddSite(int i) {
    ns3::Ptr<ns3::Node> node = hosts.Get(i);
    auto ipv4 = node->GetObject<ns3::Ipv4>();
    const uint32_t iface = ipv4->GetInterfaceForDevice(devices.Get(i));
    ipv4->AddAddress(iface, ns3::Ipv4InterfaceAddress(site4[i], ns3::Ipv4Mask("/32")));
    ns3::Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->AddHostRouteTo(site4[1 - i],
                                                                          gateway4[1 - i], iface);
    auto ipv6 = node->GetObject<ns3::Ipv6>();
    const uint32_t iface6 = ipv6->GetInterfaceForDevice(devices.Get(i));
    ipv6->AddAddress(iface6, ns3::Ipv6InterfaceAddress(site6[i], ns3::Ipv6Prefix(128)));
    ns3::Ipv6StaticRoutingHelper().GetStaticRouting(ipv6)->AddHostRouteTo(site6[1 - i],
                                                                          gateway6[1 - i], iface6);
  }
};

}  // namespace ipsecsim::test
