// Garbage on the wire: counted and dropped by the firewall, never a crash.
#include <boost/test/unit_test.hpp>

#include "ipv4_view.h"
#include "link_firewall.h"
#include "test_natt_support.h"

using namespace ipsecsim::natt;
using namespace natt_test;

BOOST_AUTO_TEST_SUITE(natt_malformed)

namespace {

std::vector<uint8_t> Ipv4Header(uint8_t versionIhl, uint16_t totalLength, uint8_t protocol) {
  std::vector<uint8_t> ip(20, 0);
  ip[0] = versionIhl;
  ip[2] = uint8_t(totalLength >> 8);
  ip[3] = uint8_t(totalLength);
  ip[8] = 64;
  ip[9] = protocol;
  ip[12] = 10, ip[15] = 11;
  ip[16] = 10, ip[19] = 12;
  return ip;
}

}  // namespace

BOOST_AUTO_TEST_CASE(parser_rejects_truncated_and_inconsistent_packets) {
  Ipv4View view;
  const std::vector<uint8_t> shortBuffer(10, 0x45);
  BOOST_TEST(int(ParseIpv4(shortBuffer.data(), shortBuffer.size(), &view)) ==
             int(ParseStatus::kMalformed));
  auto v6 = Ipv4Header(0x65, 20, 17);
  BOOST_TEST(int(ParseIpv4(v6.data(), v6.size(), &view)) == int(ParseStatus::kMalformed));
  auto ihlTooSmall = Ipv4Header(0x43, 20, 17);
  BOOST_TEST(int(ParseIpv4(ihlTooSmall.data(), ihlTooSmall.size(), &view)) ==
             int(ParseStatus::kMalformed));
  auto longerThanBuffer = Ipv4Header(0x45, 200, 50);
  BOOST_TEST(int(ParseIpv4(longerThanBuffer.data(), longerThanBuffer.size(), &view)) ==
             int(ParseStatus::kMalformed));
  auto udpWithoutHeader = Ipv4Header(0x45, 24, 17);
  udpWithoutHeader.resize(24);
  BOOST_TEST(int(ParseIpv4(udpWithoutHeader.data(), udpWithoutHeader.size(), &view)) ==
             int(ParseStatus::kMalformed));
  auto espHeaderOnly = Ipv4Header(0x45, 20, 50);
  BOOST_TEST(int(ParseIpv4(espHeaderOnly.data(), espHeaderOnly.size(), &view)) ==
             int(ParseStatus::kIpv4));
  auto laterUdpFragment = Ipv4Header(0x45, 24, 17);
  laterUdpFragment[7] = 0x10;  // offset 16 * 8 bytes: no UDP header expected
  laterUdpFragment.resize(24);
  BOOST_TEST(int(ParseIpv4(laterUdpFragment.data(), laterUdpFragment.size(), &view)) ==
             int(ParseStatus::kIpv4));
  BOOST_TEST(view.isLaterFragment);
  BOOST_TEST(!view.hasPorts);

  const uint8_t tinyFrame[3] = {1, 2, 3};
  BOOST_TEST(int(LocateIpv4(tinyFrame, 3, FrameFormat::kEthernet).status) ==
             int(ParseStatus::kMalformed));
  BOOST_TEST(int(LocateIpv4(tinyFrame, 1, FrameFormat::kPpp).status) ==
             int(ParseStatus::kMalformed));
  const uint8_t pppIpv6[2] = {0x00, 0x57};
  BOOST_TEST(int(LocateIpv4(pppIpv6, 2, FrameFormat::kPpp).status) == int(ParseStatus::kNotIpv4));
}

BOOST_AUTO_TEST_CASE(firewall_counts_and_drops_garbage_frames_on_the_wire) {
  SwitchedHosts world(2);
  auto firewall = ns3::CreateObject<LinkFirewall>("host-1/eth0", Action::kAllow);
  FilterReceivedBy(firewall, world.nics.Get(1));
  WireTap arrived(world.nics.Get(1), "PhyRxEnd");
  WireTap accepted(world.nics.Get(1), "MacRx");
  std::vector<std::vector<uint8_t>> garbage = {
      std::vector<uint8_t>(10, 0x45),  // shorter than an IPv4 header
      Ipv4Header(0x45, 200, 50),       // claims more bytes than it has
      Ipv4Header(0x41, 20, 17),        // header length 4 bytes
  };
  auto truncatedUdp = Ipv4Header(0x45, 24, 17);
  truncatedUdp.resize(24, 0);
  garbage.push_back(truncatedUdp);
  const ns3::Address to = world.nics.Get(1)->GetAddress();
  for (size_t i = 0; i < garbage.size(); ++i) {
    ns3::Simulator::Schedule(ns3::Seconds(1.0 + 0.01 * i), [&, i]() {
      world.nics.Get(0)->Send(
          ns3::Create<ns3::Packet>(garbage[i].data(), uint32_t(garbage[i].size())), to, 0x0800);
    });
  }
  auto sender = UdpSocket(world.hosts.Get(0), 4500);
  SendUdpAt(1.5, sender, world.Ip(1), 4500);  // a good packet still passes afterwards
  ns3::Simulator::Stop(ns3::Seconds(2));
  ns3::Simulator::Run();

  BOOST_TEST(arrived.Count([](const SeenFrame& f) { return f.etherType == 0x0800; }) ==
             garbage.size() + 1);
  BOOST_TEST(firewall->MalformedDropped() == garbage.size());
  BOOST_TEST(accepted.Count([](const SeenFrame& f) { return f.etherType == 0x0800; }) == 1u);
  BOOST_TEST(accepted.Count([](const SeenFrame& f) { return f.IsUdpTo(4500); }) == 1u);
  BOOST_TEST(firewall->Report().back() ==
             "malformed frames dropped on link host-1/eth0: 4 packets");

  // A frame too short for its link header, handed to the model directly.
  const uint8_t stub[3] = {0, 1, 2};
  BOOST_TEST(firewall->IsCorrupt(ns3::Create<ns3::Packet>(stub, 3)));
  BOOST_TEST(firewall->MalformedDropped() == garbage.size() + 1);
}

BOOST_AUTO_TEST_SUITE_END()
