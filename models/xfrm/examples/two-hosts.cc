// Two hosts on a point-to-point link with static transport-mode ESP SAs:
//   UDP 5001 (echo, 3000-byte payloads: fragmented ESP)  protect
//   UDP 5002                                             bypass
//   UDP 5003                                             discard
//   TCP 5004 (BulkSend -> PacketSink, 200 kB)            protect
//   ICMP echo (IcmpEchoClient)                           protect
// Writes OUT/pcap/two-hosts-*.pcap and OUT/keys/esp_sa (Wireshark UAT) and
// prints the applications' results and each host's xfrm_stat. With --tunnel
// the SAs and templates are tunnel mode between the two hosts (host-to-host
// tunnel: the inner and outer addresses are the same).
//
//   two-hosts --out /tmp/two-hosts [--encap] [--tunnel] [--ipsec=false]
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "esp_sa_uat.h"
#include "icmp_echo_client.h"
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "xfrm_helper.h"

using namespace ns3;
using namespace ipsecsim::xfrm;

namespace {

constexpr uint16_t kProtectedUdpPort = 5001;
constexpr uint16_t kBypassUdpPort = 5002;
constexpr uint16_t kDiscardUdpPort = 5003;
constexpr uint16_t kTcpPort = 5004;
constexpr uint32_t kTcpBytes = 200000;

bool g_tunnel = false;  // --tunnel: every template and state is tunnel mode

Policy MakePolicy(Ipv4Address src, Ipv4Address dst, Direction dir, PolicyAction action,
                  uint8_t protocol, PortRange sport, PortRange dport) {
  Policy p;
  p.selector = {IpPrefix::Host(src), IpPrefix::Host(dst), protocol, sport, dport};
  p.direction = dir;
  p.action = action;
  if (g_tunnel) {
    p.tmpl.mode = XfrmMode::kTunnel;
    p.tmpl.local = dir == Direction::kOut ? src : dst;
    p.tmpl.peer = dir == Direction::kOut ? dst : src;
  }
  return p;
}

// Both directions of one service (client -> server port, and the replies),
// as seen from the host at `local`.
void AddServicePolicies(XfrmStack& xfrm, Ipv4Address local, Ipv4Address remote, uint8_t protocol,
                        uint16_t port, PolicyAction action) {
  const auto any = PortRange::Any();
  const auto one = PortRange::Single(port);
  for (const auto& [sport, dport] : {std::pair{any, one}, std::pair{one, any}}) {
    xfrm.AddPolicy(MakePolicy(local, remote, Direction::kOut, action, protocol, sport, dport));
    xfrm.AddPolicy(MakePolicy(remote, local, Direction::kIn, action, protocol, sport, dport));
  }
}

ipsecsim::Bytes ExampleKeymat(uint8_t seed) {
  ipsecsim::Bytes keymat(36);  // AES-256 key + 4-byte salt
  for (size_t i = 0; i < keymat.size(); ++i) keymat[i] = uint8_t(seed * 31 + i * 7 + 1);
  return keymat;
}

StateConfig MakeState(Ipv4Address src, Ipv4Address dst, uint32_t spi, bool encap) {
  StateConfig s;
  s.src = src;
  s.dst = dst;
  s.spi = spi;
  s.reqid = 1;
  s.keymat = ExampleKeymat(uint8_t(spi >> 8));
  if (encap) s.encap = UdpEncap{};
  if (g_tunnel) s.mode = XfrmMode::kTunnel;
  return s;
}

}  // namespace

int main(int argc, char* argv[]) {
  std::string out = "two-hosts-out";
  bool ipsec = true;
  bool encap = false;
  // ns-3's CommandLine wants --out=DIR; accept "--out DIR" as well.
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i + 1 < args.size(); ++i) {
    if (args[i] == "--out") {
      args[i] += "=" + args[i + 1];
      args.erase(args.begin() + i + 1);
    }
  }
  std::vector<char*> argvFixed;
  for (auto& arg : args) argvFixed.push_back(arg.data());
  CommandLine cmd;
  cmd.AddValue("out", "Output directory (pcap/ and keys/ are created in it)", out);
  cmd.AddValue("ipsec", "Install policies and SAs (false: negative control)", ipsec);
  cmd.AddValue("encap", "UDP-encapsulate ESP (RFC 3948, port 4500)", encap);
  cmd.AddValue("tunnel", "Tunnel-mode SAs and templates (RFC 4303 3.1.2)", g_tunnel);
  cmd.Parse(int(argvFixed.size()), argvFixed.data());

  GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

  NodeContainer hosts(2);
  PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
  p2p.SetChannelAttribute("Delay", StringValue("2ms"));
  NetDeviceContainer devices = p2p.Install(hosts);
  InternetStackHelper internet;
  internet.Install(hosts);
  Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.0");
  Ipv4InterfaceContainer ifaces = addresses.Assign(devices);
  const Ipv4Address a = ifaces.GetAddress(0);
  const Ipv4Address b = ifaces.GetAddress(1);

  auto stacks = XfrmHelper().Install(hosts);
  EspSaLog keyLog;  // keys/esp_sa
  for (const auto& stack : stacks) keyLog.Watch(stack);
  if (ipsec) {
    for (int i = 0; i < 2; ++i) {
      XfrmStack& xfrm = *stacks[i];
      const Ipv4Address local = i == 0 ? a : b;
      const Ipv4Address remote = i == 0 ? b : a;
      AddServicePolicies(xfrm, local, remote, 17, kProtectedUdpPort, PolicyAction::kProtect);
      AddServicePolicies(xfrm, local, remote, 17, kBypassUdpPort, PolicyAction::kBypass);
      AddServicePolicies(xfrm, local, remote, 17, kDiscardUdpPort, PolicyAction::kDiscard);
      AddServicePolicies(xfrm, local, remote, 6, kTcpPort, PolicyAction::kProtect);
      xfrm.AddPolicy(MakePolicy(local, remote, Direction::kOut, PolicyAction::kProtect, 1,
                                PortRange::Any(), PortRange::Any()));
      xfrm.AddPolicy(MakePolicy(remote, local, Direction::kIn, PolicyAction::kProtect, 1,
                                PortRange::Any(), PortRange::Any()));
      for (const StateConfig& s :
           {MakeState(a, b, 0x1001, encap), MakeState(b, a, 0x2001, encap)}) {
        std::string error;
        if (!xfrm.AddState(s, &error)) {
          std::cerr << "two-hosts: " << error << "\n";
          return 2;
        }
      }
    }
  }

  // UDP echo with payloads larger than the link MTU.
  UdpEchoServerHelper echoServer(kProtectedUdpPort);
  echoServer.Install(hosts.Get(1)).Start(Seconds(0));
  UdpEchoClientHelper echoClient(b, kProtectedUdpPort);
  echoClient.SetAttribute("MaxPackets", UintegerValue(5));
  echoClient.SetAttribute("Interval", TimeValue(Seconds(0.2)));
  echoClient.SetAttribute("PacketSize", UintegerValue(3000));
  ApplicationContainer echoApp = echoClient.Install(hosts.Get(0));
  echoApp.Start(Seconds(1));
  uint32_t echoReplies = 0;
  echoApp.Get(0)->TraceConnectWithoutContext(
      "Rx", MakeBoundCallback(
                +[](uint32_t* n, Ptr<const Packet>) { ++*n; }, &echoReplies));

  // Bypassed and discarded UDP: 10 datagrams each.
  ApplicationContainer sinks;
  for (uint16_t port : {kBypassUdpPort, kDiscardUdpPort}) {
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), port));
    sinks.Add(sink.Install(hosts.Get(1)));
    UdpClientHelper client(b, port);
    client.SetAttribute("MaxPackets", UintegerValue(10));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(50)));
    client.SetAttribute("PacketSize", UintegerValue(200));
    client.Install(hosts.Get(0)).Start(Seconds(1.1));
  }
  sinks.Start(Seconds(0));

  // TCP bulk transfer.
  PacketSinkHelper tcpSink("ns3::TcpSocketFactory",
                           InetSocketAddress(Ipv4Address::GetAny(), kTcpPort));
  ApplicationContainer tcpSinkApp = tcpSink.Install(hosts.Get(1));
  tcpSinkApp.Start(Seconds(0));
  BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(b, kTcpPort));
  bulk.SetAttribute("MaxBytes", UintegerValue(kTcpBytes));
  bulk.Install(hosts.Get(0)).Start(Seconds(2));

  // ICMP echo through xfrm.
  Ptr<IcmpEchoClient> ping = CreateObject<IcmpEchoClient>();
  ping->SetAttribute("Remote", Ipv4AddressValue(b));
  ping->SetAttribute("Count", UintegerValue(5));
  ping->SetAttribute("Interval", TimeValue(Seconds(0.5)));
  hosts.Get(0)->AddApplication(ping);
  ping->SetStartTime(Seconds(1.05));

  std::filesystem::create_directories(out + "/pcap");
  p2p.EnablePcapAll(out + "/pcap/two-hosts");

  Simulator::Stop(Seconds(10));
  Simulator::Run();

  const uint64_t bypassRx = DynamicCast<PacketSink>(sinks.Get(0))->GetTotalRx();
  const uint64_t discardRx = DynamicCast<PacketSink>(sinks.Get(1))->GetTotalRx();
  const uint64_t tcpRx = DynamicCast<PacketSink>(tcpSinkApp.Get(0))->GetTotalRx();
  std::cout << "ipsec: " << (ipsec ? (encap ? "esp-in-udp" : "esp") : "off")
            << (ipsec && g_tunnel ? " tunnel" : "") << "\n"
            << "udp echo " << kProtectedUdpPort << " (protect, 3000 B): replies " << echoReplies
            << "/5\n"
            << "udp " << kBypassUdpPort << " (bypass): " << bypassRx << " bytes received\n"
            << "udp " << kDiscardUdpPort << " (discard): " << discardRx << " bytes received\n"
            << "tcp " << kTcpPort << " (protect): " << tcpRx << "/" << kTcpBytes
            << " bytes received\n"
            << "icmp echo (protect): " << ping->Received() << "/" << ping->Sent() << " replies\n";
  for (int i = 0; i < 2; ++i) {
    std::cout << "--- host" << i << " xfrm_stat\n" << stacks[i]->FormatXfrmStat();
  }
  const std::string keys = out + "/keys/esp_sa";
  if (!keyLog.Write(keys)) {
    std::cerr << "two-hosts: cannot write " << keys << "\n";
    return 1;
  }
  std::cout << "pcap: " << out << "/pcap/  keys: " << keys << "\n";
  Simulator::Destroy();
  return 0;
}
