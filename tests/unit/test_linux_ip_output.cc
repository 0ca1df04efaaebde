// The path-MTU cache and DF decisions of a Linux node's IPv4 output
// (linux_ip_output.h), and the ICMP the Geneve driver builds, checked
// against the kernel's constants and RFC 791/1191 byte layouts.
#include <ns3/core-module.h>
#include <ns3/internet-module.h>

#include <boost/test/unit_test.hpp>

#include "icmp_frag_needed.h"
#include "linux_ip_output.h"
#include "linux_tcp.h"

using namespace ns3;
using namespace ipsecsim::sim;

namespace {

const Ipv4Address kPod("10.128.2.3"), kPeer("10.129.0.3");

Ptr<Packet> Datagram(uint8_t protocol, uint32_t ipLength, Ipv4Address src = kPod,
                     Ipv4Address dst = kPeer) {
  Ptr<Packet> p = Create<Packet>(ipLength - 20);
  Ipv4Header ip;
  ip.SetSource(src);
  ip.SetDestination(dst);
  ip.SetProtocol(protocol);
  ip.SetPayloadSize(ipLength - 20);
  ip.SetIdentification(77);
  p->AddHeader(ip);
  return p;
}

Ipv4Header HeaderOf(Ptr<const Packet> p) {
  Ipv4Header ip;
  p->PeekHeader(ip);
  return ip;
}

struct Fixture {
  Fixture() {
    output = CreateObject<LinuxIpv4Output>();
    output->SetLinkMtu(1500);
  }
  ~Fixture() { Simulator::Destroy(); }
  Ptr<LinuxIpv4Output> output;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(linux_ip_output, Fixture)

BOOST_AUTO_TEST_CASE(datagrams_that_fit_carry_df_and_larger_ones_fragment_without_it) {
  auto fits = output->Output(Datagram(17, 1500));
  BOOST_REQUIRE(fits.size() == 1u);
  BOOST_TEST(HeaderOf(fits[0]).IsDontFragment());
  auto big = output->Output(Datagram(17, 1501));  // ns-3 passed it whole (device MTU larger)
  BOOST_REQUIRE(big.size() == 2u);
  BOOST_TEST(!HeaderOf(big[0]).IsDontFragment());
  BOOST_TEST(big[0]->GetSize() == 1500u);  // 20 + 1480 (a multiple of 8)
  BOOST_TEST(big[1]->GetSize() == 21u);
  BOOST_TEST(HeaderOf(big[1]).GetFragmentOffset() == 1480u);
}

// The one's complement sum of a packet's IPv4 header: 0xFFFF when its checksum is right.
uint32_t HeaderSum(Ptr<const Packet> p) {
  uint8_t b[20];
  p->CopyData(b, sizeof b);
  uint32_t s = 0;
  for (size_t i = 0; i < sizeof b; i += 2) s += uint32_t(b[i] << 8 | b[i + 1]);
  while (s >> 16) s = (s & 0xFFFF) + (s >> 16);
  return s;
}

BOOST_AUTO_TEST_CASE(every_packet_and_fragment_leaves_with_its_header_checksum) {
  auto whole = output->Output(Datagram(17, 1500));
  auto pieces = output->Output(Datagram(17, 3000));
  BOOST_REQUIRE(whole.size() == 1u);
  BOOST_REQUIRE(pieces.size() == 3u);
  BOOST_TEST(HeaderSum(whole[0]) == 0xFFFFu);
  for (const auto& piece : pieces) BOOST_TEST(HeaderSum(piece) == 0xFFFFu);
  output->SetHeaderChecksums(false);  // what the benchmark measures against
  auto bare = output->Output(Datagram(17, 3000));
  for (const auto& piece : bare) {
    uint8_t b[12];
    piece->CopyData(b, sizeof b);
    BOOST_TEST((b[10] == 0 && b[11] == 0));
  }
}

BOOST_AUTO_TEST_CASE(tcp_always_carries_df_and_a_segment_too_big_is_dropped) {
  auto fits = output->Output(Datagram(6, 1500));
  BOOST_REQUIRE(fits.size() == 1u);
  BOOST_TEST(HeaderOf(fits[0]).IsDontFragment());
  BOOST_TEST(output->Output(Datagram(6, 1501)).empty());
  BOOST_TEST(output->LocalDfDrops() == 1u);
}

BOOST_AUTO_TEST_CASE(the_cache_lowers_the_route_never_raises_it_and_expires) {
  output->LearnPathMtu(kPeer, 1400);
  BOOST_TEST(output->RouteMtu(kPeer) == 1400u);
  BOOST_TEST(output->RouteMtu(Ipv4Address("10.130.0.3")) == 1500u);  // per destination
  output->LearnPathMtu(kPeer, 1450);
  BOOST_TEST(output->RouteMtu(kPeer) == 1400u);
  auto pieces = output->Output(Datagram(17, 1401));
  BOOST_TEST(pieces.size() == 2u);
  uint32_t atExpiry = 0, before = 0;
  Simulator::Schedule(Seconds(kIpRtMtuExpiresSeconds - 1),
                      [&] { before = output->RouteMtu(kPeer); });
  Simulator::Schedule(Seconds(kIpRtMtuExpiresSeconds), [&] { atExpiry = output->RouteMtu(kPeer); });
  Simulator::Run();
  BOOST_TEST(before == 1400u);
  BOOST_TEST(atExpiry == 1500u);
}

BOOST_AUTO_TEST_CASE(an_mtu_under_the_minimum_locks_the_route_at_552_without_df) {
  output->LearnPathMtu(kPeer, 300);
  BOOST_TEST(output->RouteMtu(kPeer) == 552u);
  auto small = output->Output(Datagram(6, 500));
  BOOST_REQUIRE(small.size() == 1u);
  BOOST_TEST(!HeaderOf(small[0]).IsDontFragment());
  BOOST_TEST(output->Output(Datagram(6, 600)).size() == 2u);  // fragmented, not dropped
}

BOOST_AUTO_TEST_CASE(the_tunnels_icmp_is_built_like_iptunnel_pmtud_build_icmp_and_is_learned) {
  Ptr<Packet> original = Datagram(17, 8901);
  Ptr<Packet> icmp = BuildTunnelFragNeeded(original, 8900);
  std::vector<uint8_t> b(icmp->GetSize());
  icmp->CopyData(b.data(), b.size());
  BOOST_TEST(b.size() == 576u);          // 20 + 8 + 548 quoted bytes
  BOOST_TEST(b[8] == 1u);                // TTL 1
  BOOST_TEST((b[6] & 0x40) != 0);        // DF
  BOOST_TEST((b[4] == 0 && b[5] == 0));  // identification 0
  BOOST_TEST(Ipv4Address(uint32_t(b[12]) << 24 | b[13] << 16 | b[14] << 8 | b[15]) == kPeer);
  BOOST_TEST(b[20] == 3u);
  BOOST_TEST(b[21] == 4u);
  BOOST_TEST((b[26] << 8 | b[27]) == 8900);
  // Both checksums verify: the one's complement sum over each is 0xFFFF.
  auto sum = [&](size_t from, size_t to) {
    uint32_t s = 0;
    for (size_t i = from; i < to; i += 2) s += uint32_t(b[i] << 8 | b[i + 1]);
    while (s >> 16) s = (s & 0xFFFF) + (s >> 16);
    return s;
  };
  BOOST_TEST(sum(0, 20) == 0xFFFFu);
  BOOST_TEST(sum(20, b.size()) == 0xFFFFu);
  Ptr<LinuxIpv4Output> pod = CreateObject<LinuxIpv4Output>();
  pod->SetLinkMtu(8901);
  pod->Inspect(icmp);
  BOOST_TEST(pod->RouteMtu(kPeer) == 8900u);
}

BOOST_AUTO_TEST_CASE(tcp_segment_payload_follows_tcp_mtu_to_mss) {
  BOOST_TEST(MssForMtu(1400) == 1360u);
  BOOST_TEST(SegmentPayload(MssForMtu(1400)) == 1348u);  // 1400 - 40 - 12: timestamps
  BOOST_TEST(SegmentPayload(MssForMtu(8900)) + 52u == 8900u);
  BOOST_TEST(SegmentPayload(10) == kTcpMinSndMss - kTcpTimestampOption);
}

BOOST_AUTO_TEST_SUITE_END()
