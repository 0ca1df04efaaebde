// The xfrm data path over IPv6: transport-mode ESP (next header 50) and ESP
// in UDP 4500 between two IPv6 hosts, fragmented by the sending host after
// ESP and reassembled by the receiver before ESP, with the inbound policy
// check on cleartext. Frames are read from the wire; tshark decrypts them.
#include <array>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "esp_sa_uat.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "tshark_run.h"
#include "two_host_world.h"
#include "xfrm_helper.h"

namespace {

using namespace ipsecsim::xfrm;
using ipsecsim::test::IpFrame;
namespace fs = std::filesystem;

constexpr uint16_t kPort = 6081;

class TwoIpv6Hosts {
 public:
  TwoIpv6Hosts() {
    ns3::Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", ns3::BooleanValue(false));
    devices = ipsecsim::test::InstallTwoHosts(hosts);
    address = ipsecsim::test::AssignIpv6(devices);
    xfrm = XfrmHelper().Install(hosts);
    for (const auto& stack : xfrm) keys.Watch(stack);
    ipsecsim::test::TapWire(devices, [this](IpFrame f) {
      // IPv6 only, and ICMPv6 (neighbour discovery) left aside
      if (f.ipv6 && f.protocol != 58) wire.push_back(std::move(f));
    });
  }
  ~TwoIpv6Hosts() { ns3::Simulator::Destroy(); }

  // The "out" and "in" policies of both hosts for UDP to port 6081 on either.
  void AddPolicies() {
    for (int i = 0; i < 2; ++i) {
      for (bool out : {true, false}) {
        Policy p;
        const ns3::Ipv6Address local = address[i], remote = address[1 - i];
        p.selector = {IpPrefix::Host(out ? local : remote), IpPrefix::Host(out ? remote : local),
                      17, PortRange::Any(), PortRange::Single(kPort)};
        p.direction = out ? Direction::kOut : Direction::kIn;
        xfrm[i]->AddPolicy(p);
      }
    }
  }

  void AddSas(bool encap) {
    for (int from = 0; from < 2; ++from) {
      StateConfig s;
      s.src = address[from];
      s.dst = address[1 - from];
      s.spi = 0x6001 + from;
      s.keymat = ipsecsim::Bytes(36, uint8_t(0x40 + from));
      if (encap) s.encap = UdpEncap{};
      for (int i = 0; i < 2; ++i) {
        std::string error;
        BOOST_REQUIRE_MESSAGE(xfrm[i]->AddState(s, &error), error);
      }
    }
  }

  // Sends `count` datagrams of `size` bytes from host 0 to host 1's port 6081.
  void Send(uint32_t size, uint32_t count) {
    auto sink = ns3::Socket::CreateSocket(hosts.Get(1), ns3::UdpSocketFactory::GetTypeId());
    sink->Bind(ns3::Inet6SocketAddress(ns3::Ipv6Address::GetAny(), kPort));
    sink->SetRecvCallback(ns3::MakeCallback(&TwoIpv6Hosts::OnReceive, this));
    auto source = ns3::Socket::CreateSocket(hosts.Get(0), ns3::UdpSocketFactory::GetTypeId());
    source->Bind6();
    sockets = {sink, source};
    const ns3::Inet6SocketAddress to(address[1], kPort);
    for (uint32_t i = 0; i < count; ++i) {
      ns3::Simulator::Schedule(ns3::MilliSeconds(10 * (i + 1)), [source, to, size]() {
        source->SendTo(ns3::Create<ns3::Packet>(size), 0, to);
      });
    }
    ns3::Simulator::Stop(ns3::Seconds(1));
    ns3::Simulator::Run();
  }

  void OnReceive(ns3::Ptr<ns3::Socket> socket) {
    while (ns3::Ptr<ns3::Packet> p = socket->Recv()) receivedBytes.push_back(p->GetSize());
  }

  ns3::NodeContainer hosts;
  ns3::NetDeviceContainer devices;
  std::array<ns3::Ipv6Address, 2> address;
  std::vector<ns3::Ptr<XfrmStack>> xfrm;
  EspSaLog keys;
  std::vector<ns3::Ptr<ns3::Socket>> sockets;
  std::vector<uint32_t> receivedBytes;
  std::vector<IpFrame> wire;
};

BOOST_AUTO_TEST_CASE(esp_over_ipv6_is_next_header_50_and_fragmented_after_esp) {
  TwoIpv6Hosts w;
  w.AddPolicies();
  w.AddSas(false);
  w.Send(400, 3);
  w.Send(1600, 3);  // 1600 + UDP 8 + ESP 34..37 + IPv6 40 > 1500: two fragments each

  BOOST_TEST(w.receivedBytes == (std::vector<uint32_t>{400, 400, 400, 1600, 1600, 1600}));
  int whole = 0, fragments = 0;
  for (const IpFrame& f : w.wire) {
    BOOST_TEST(f.protocol == 50, "every frame is ESP, next header " << int(f.protocol));
    BOOST_TEST(f.length <= 1500u);
    (f.IsFragment() ? fragments : whole) += 1;
  }
  BOOST_TEST(whole == 3);
  BOOST_TEST(fragments == 6);
  // 400 + UDP 8 = 408; (408 + 2) % 4 = 2, so 2 bytes of padding: ESP adds 36.
  BOOST_TEST(w.wire.front().length == 40u + 408u + 36u);
  BOOST_TEST(w.xfrm[1]->Stats().inDecrypted == 6u);
  BOOST_TEST(w.xfrm[0]->Stats().outProtected == 6u);
}

BOOST_AUTO_TEST_CASE(cleartext_into_an_ipv6_protect_policy_is_dropped) {
  TwoIpv6Hosts w;
  w.AddPolicies();
  w.xfrm[0]->FlushPolicies();  // the sender sends in clear; the receiver insists on ESP
  w.Send(400, 4);
  BOOST_TEST(w.receivedBytes.empty());
  BOOST_TEST(w.wire.size() == 4u);
  BOOST_TEST(w.wire.front().DstPort() == kPort);
  BOOST_TEST(w.xfrm[1]->Counters().Get(ipsecsim::XfrmStat::kInTmplMismatch) == 4u);
}

void RecordAcquire(std::vector<AcquireEvent>* events, const AcquireEvent& event) {
  events->push_back(event);
}

BOOST_AUTO_TEST_CASE(ipv6_protect_policy_without_state_drops_counts_and_acquires) {
  TwoIpv6Hosts w;
  w.AddPolicies();
  std::vector<AcquireEvent> acquires;
  w.xfrm[0]->TraceConnectWithoutContext("Acquire",
                                        ns3::MakeCallback(&RecordAcquire).Bind(&acquires));
  w.Send(400, 2);
  BOOST_TEST(w.wire.empty());
  BOOST_TEST(w.xfrm[0]->Counters().Get(ipsecsim::XfrmStat::kOutNoStates) == 2u);
  // One acquire while it is pending (larval drop, like xfrm_larval_drop=1),
  // naming the IPv6 flow that hit the trap.
  BOOST_REQUIRE_EQUAL(acquires.size(), 1u);
  const FlowTuple& flow = acquires[0].flow;
  BOOST_TEST(flow.ipv6);
  BOOST_TEST((flow.src6 == w.address[0]));
  BOOST_TEST((flow.dst6 == w.address[1]));
  BOOST_TEST(flow.dstPort == kPort);
  BOOST_TEST(w.xfrm[0]->Stats().acquires == 1u);
}

BOOST_AUTO_TEST_CASE(held_ipv6_packets_leave_as_esp_once_the_sa_arrives) {
  TwoIpv6Hosts w;
  w.xfrm[0]->SetAttribute("HoldUntilSa", ns3::BooleanValue(true));
  w.AddPolicies();
  std::vector<AcquireEvent> acquires;
  w.xfrm[0]->TraceConnectWithoutContext("Acquire",
                                        ns3::MakeCallback(&RecordAcquire).Bind(&acquires));
  // The "IKE daemon" answers 25 ms after the first packet (sent at 10 ms):
  // the packets of 10, 20 and 30 ms wait, the later ones find the SA.
  ns3::Simulator::Schedule(ns3::MilliSeconds(35), [&w] { w.AddSas(false); });
  w.Send(400, 5);
  BOOST_TEST(acquires.size() == 1u);
  BOOST_TEST(w.xfrm[0]->Stats().outHeld == 0u);  // all released
  BOOST_TEST(w.xfrm[0]->Stats().heldReleased == 3u);
  BOOST_TEST(w.xfrm[0]->Counters().Get(ipsecsim::XfrmStat::kOutNoStates) == 0u);
  BOOST_TEST(w.receivedBytes.size() == 5u);
  BOOST_TEST(w.wire.size() == 5u);
  for (const IpFrame& f : w.wire) BOOST_TEST(f.protocol == 50);
}

BOOST_AUTO_TEST_CASE(held_ipv6_packets_are_dropped_when_the_acquire_expires) {
  TwoIpv6Hosts w;
  w.xfrm[0]->SetAttribute("HoldUntilSa", ns3::BooleanValue(true));
  w.xfrm[0]->SetAttribute("AcquireTimeout", ns3::TimeValue(ns3::MilliSeconds(95)));
  w.AddPolicies();
  std::vector<AcquireEvent> acquires;
  w.xfrm[0]->TraceConnectWithoutContext("Acquire",
                                        ns3::MakeCallback(&RecordAcquire).Bind(&acquires));
  w.Send(400, 15);  // 10 ms .. 150 ms; the first acquire expires at 105 ms
  BOOST_TEST(acquires.size() == 2u);
  BOOST_TEST(w.xfrm[0]->Counters().Get(ipsecsim::XfrmStat::kOutNoStates) == 15u);
  BOOST_TEST(w.xfrm[0]->Stats().heldReleased == 0u);
  BOOST_TEST(w.wire.empty());
}

BOOST_AUTO_TEST_CASE(esp_in_udp_over_ipv6_decrypts_in_tshark_with_valid_checksums) {
  const fs::path dir = fs::temp_directory_path() / "ipsecsim-xfrm-ipv6";
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    TwoIpv6Hosts w;
    w.AddPolicies();
    w.AddSas(true);
    ns3::PointToPointHelper().EnablePcap((dir / "a.pcap").string(), w.devices.Get(0), false, true);
    w.Send(1600, 2);
    BOOST_TEST(w.receivedBytes == (std::vector<uint32_t>{1600, 1600}));
    int udp4500 = 0;
    for (const IpFrame& f : w.wire) udp4500 += f.protocol == 17 && f.DstPort() == 4500;
    BOOST_TEST(udp4500 == 2);  // the first fragment of each datagram shows the port
    BOOST_REQUIRE(w.keys.Write((dir / "esp_sa").string()));
  }
  std::string keys;
  std::ifstream uat(dir / "esp_sa");
  for (std::string line; std::getline(uat, line);) keys += " -o 'uat:esp_sa:" + line + "'";
  const auto lines = ipsecsim::test::TsharkLines(
      dir.string(), (dir / "a.pcap").string(),
      "-o udp.check_checksum:TRUE" + keys +
          " -Y 'esp' -T fields -E separator='|' -e udp.checksum.status -e esp.spi"
          " -e esp.icv_good -e udp.dstport");
  BOOST_REQUIRE_EQUAL(lines.size(), 2u);
  for (const std::string& line : lines) {
    // UDP 4500's checksum verified over the IPv6 pseudo-header; the ICV
    // checks; the decrypted payload is the UDP datagram to 6081.
    BOOST_TEST(line.rfind("1,", 0) == 0, line);
    BOOST_TEST(line.find("|0x00006001|1|4500,6081") != std::string::npos, line);
  }
}

}  // namespace
