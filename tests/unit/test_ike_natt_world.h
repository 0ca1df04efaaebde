// Shared world of the IKE NAT traversal tests: nodes a (10.0.0.11) and b
// (10.0.0.12) cabled to one learning switch like the cluster's underlay,
// each with an XfrmStack and an IkeDaemon. Optionally a sits behind a NAPT
// box (public address 10.0.0.100) and the links get a platform's firewall.
// a initiates "a-to-b" (UDP to b:5001, auto=route); b answers with
// "b-from-a" (auto=add), whose right is a's address as b sees it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "napt_placement.h"
#include "platform_profile.h"
#include "test_ike_exchange_world.h"
#include "test_natt_support.h"

namespace ike_natt_test {

using namespace ipsecsim;
using namespace ipsecsim::ike;
using ike_exchange_test::Pki;
using natt_test::SeenFrame;
using natt_test::WireTap;

constexpr uint16_t kServicePort = 5001;
constexpr uint16_t kClientPort = 7000;
constexpr uint16_t kNattPort = 4500;

struct WorldOptions {
  bool natInFrontOfA = false;
  bool platformDropsEsp = false;    // ibmcloud: the ESP filter on both links
  bool forceEncapsulation = false;  // on both daemons, as the operator does
  ns3::Time keepaliveInterval = ns3::Seconds(20);
  std::string pcapPrefix;  // pcap of a's NIC
};

// What `node` UDP socket received.
struct Received {
  uint32_t packets = 0;
  std::vector<ns3::Time> at;
};

inline bool IsUdpEncapEsp(const SeenFrame& f) {
  return f.protocol == 17 && (f.destinationPort == kNattPort || f.sourcePort == kNattPort) &&
         f.l4.size() >= 8 + 8 && (f.l4[8] | f.l4[9] | f.l4[10] | f.l4[11]) != 0;
}
inline bool IsMarkedIke(const SeenFrame& f) {
  return f.protocol == 17 && f.l4.size() >= 8 + 4 + 28 &&
         (f.l4[8] | f.l4[9] | f.l4[10] | f.l4[11]) == 0;
}
inline bool IsKeepalive(const SeenFrame& f) {
  return f.protocol == 17 && f.l4.size() == 9 && f.l4[8] == 0xff;
}
// The IKE exchange type of a UDP 500 frame, or of a marked UDP 4500 one.
inline int IkeExchange(const SeenFrame& f) {
  if (f.protocol != 17) return -1;
  if (f.destinationPort == 500 && f.l4.size() >= 8 + 28) return f.l4[8 + 18];
  if (IsMarkedIke(f)) return f.l4[8 + 4 + 18];
  return -1;
}

class NattWorld {
 public:
  explicit NattWorld(const WorldOptions& options) {
    hosts.Create(2);
    switchNode = ns3::CreateObject<ns3::Node>();
    ns3::CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", ns3::StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", ns3::TimeValue(ns3::MicroSeconds(50)));
    ns3::NetDeviceContainer switchPorts;
    if (options.natInFrontOfA) {
      auto box = ns3::CreateObject<natt::NaptBox>();
      box->SetAttribute("PortPreservation", ns3::BooleanValue(false));
      auto placement = natt::PlaceNaptBetween(csma, hosts.Get(0), switchNode, PublicAddress(), box);
      nat = placement.box;
      nics.Add(placement.hostNic);
      switchPorts.Add(placement.switchPort);
    } else {
      auto link = csma.Install(ns3::NodeContainer(hosts.Get(0), switchNode));
      nics.Add(link.Get(0));
      switchPorts.Add(link.Get(1));
    }
    auto link = csma.Install(ns3::NodeContainer(hosts.Get(1), switchNode));
    nics.Add(link.Get(0));
    switchPorts.Add(link.Get(1));
    if (options.platformDropsEsp && !options.natInFrontOfA)
      firewalls = natt::ApplyEspFilter({{"a/eth0", nics.Get(0), switchPorts.Get(0)},
                                        {"b/eth0", nics.Get(1), switchPorts.Get(1)}});
    ns3::BridgeHelper().Install(switchNode, switchPorts);
    ns3::InternetStackHelper().Install(hosts);
    ns3::Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.0", "0.0.0.11");
    addresses.Assign(nics);
    xfrm::XfrmHelper helper;
    helper.SetStackAttribute("HoldUntilSa", ns3::BooleanValue(true));
    stacks = helper.Install(hosts);
    for (const auto& stack : stacks) keys.Watch(stack);
    aSends = std::make_unique<WireTap>(nics.Get(0), "PhyTxBegin");
    bSends = std::make_unique<WireTap>(nics.Get(1), "PhyTxBegin");
    bGets = std::make_unique<WireTap>(nics.Get(1), "PhyRxEnd");
    if (!options.pcapPrefix.empty())
      csma.EnablePcap(options.pcapPrefix, ns3::NetDeviceContainer(nics.Get(0)), false);
    for (uint32_t i = 0; i < 2; ++i) {
      daemons[i] = ns3::CreateObject<IkeDaemon>();
      daemons[i]->SetAttribute("Seed", ns3::UintegerValue(7 + i));
      daemons[i]->SetAttribute("ForceEncapsulation", ns3::BooleanValue(options.forceEncapsulation));
      daemons[i]->SetAttribute("NattKeepaliveInterval", ns3::TimeValue(options.keepaliveInterval));
      keys.Watch(daemons[i]);
    }
    Pki& pki = Pki::Get();
    daemons[0]->Start(hosts.Get(0), pki.IdentityOf(pki.a));
    daemons[1]->Start(hosts.Get(1), pki.IdentityOf(pki.b));
    daemons[0]->AddConnection(ike_exchange_test::AToB(IpAddressOf(Ip(0)), IpAddressOf(Ip(1))));
    daemons[1]->AddConnection(ike_exchange_test::BFromA(
        IpAddressOf(Ip(1)), IpAddressOf(options.natInFrontOfA ? PublicAddress() : Ip(0)),
        "@system-a"));
    bService = Socket(1, kServicePort, &atB);
    aClient = Socket(0, kClientPort, &atA);
  }
  ~NattWorld() {
    for (auto& d : daemons) d->Dispose();
    ns3::Simulator::Destroy();
  }

  static ns3::Ipv4Address PublicAddress() { return ns3::Ipv4Address("10.0.0.100"); }
  static ns3::Ipv4Address Ip(uint32_t i) { return ns3::Ipv4Address(0x0a00000b + i); }
  // Where b reaches a: its own address, or the NAT's.
  ns3::Ipv4Address AAsSeenByB() const { return nat ? PublicAddress() : Ip(0); }

  void SendFromA(double seconds) { Send(aClient, seconds, Ip(1), kServicePort); }
  void SendFromB(double seconds) { Send(bService, seconds, AAsSeenByB(), kClientPort); }

  void Run(ns3::Time end) {
    ns3::Simulator::Stop(end);
    ns3::Simulator::Run();
  }

  std::string Logs() const {
    std::string text;
    for (const auto& d : daemons)
      for (const auto& line : d->Log()) text += line + "\n";
    return text;
  }

  ns3::NodeContainer hosts;
  ns3::Ptr<ns3::Node> switchNode;
  ns3::NetDeviceContainer nics;  // a's (inside the NAT when there is one), b's
  ns3::Ptr<natt::NaptBox> nat;
  std::vector<ns3::Ptr<natt::LinkFirewall>> firewalls;
  std::vector<ns3::Ptr<xfrm::XfrmStack>> stacks;
  ns3::Ptr<IkeDaemon> daemons[2];
  ike_exchange_test::KeyLogs keys;
  std::unique_ptr<WireTap> aSends, bSends, bGets;
  Received atA, atB;  // a's client socket, b's service socket

 private:
  ns3::Ptr<ns3::Socket> Socket(int node, uint16_t port, Received* into) {
    auto socket = natt_test::UdpSocket(hosts.Get(node), port);
    socket->SetRecvCallback(
        ns3::Callback<void, ns3::Ptr<ns3::Socket>>([into](ns3::Ptr<ns3::Socket> s) {
          while (s->Recv()) {
            ++into->packets;
            into->at.push_back(ns3::Simulator::Now());
          }
        }));
    return socket;
  }
  static void Send(ns3::Ptr<ns3::Socket> socket, double seconds, ns3::Ipv4Address to,
                   uint16_t port) {
    natt_test::SendUdpAt(seconds, socket, to, port, 200);
  }

  ns3::Ptr<ns3::Socket> aClient, bService;
};

}  // namespace ike_natt_test
