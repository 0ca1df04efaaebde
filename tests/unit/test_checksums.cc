// The fast RFC 1071 sum (models/xfrm/internet_checksum) against RFC 1071's
// worked example and ns-3's own byte-wise Buffer::Iterator::CalculateIpChecksum,
// and the checksums ChecksumOffload fills against the headers ns-3 writes with
// its checksums on.
#include <ns3/core-module.h>
#include <ns3/internet-module.h>

#include <boost/test/unit_test.hpp>
#include <random>
#include <vector>

#include "checksum_offload.h"
#include "internet_checksum.h"

using namespace ns3;
using namespace ipsecsim::xfrm;

namespace {

std::vector<uint8_t> Random(size_t len, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> b(len);
  for (auto& x : b) x = uint8_t(rng());
  return b;
}

std::vector<uint8_t> BytesOf(Ptr<const Packet> p) {
  std::vector<uint8_t> b(p->GetSize());
  p->CopyData(b.data(), b.size());
  return b;
}

// ns-3's checksum of data, as the two bytes it writes (Buffer::Iterator::WriteU16).
std::pair<uint8_t, uint8_t> Ns3Checksum(const uint8_t* data, size_t len) {
  Buffer buffer;
  buffer.AddAtStart(uint32_t(len));
  buffer.Begin().Write(data, uint32_t(len));
  const uint16_t c = buffer.Begin().CalculateIpChecksum(uint16_t(len));
  return {uint8_t(c), uint8_t(c >> 8)};
}

const Ipv4Address kSrc("10.128.0.5"), kDst("10.129.2.7");
const Ipv6Address kSrc6("fd00:10::5"), kDst6("fd00:10::7");

}  // namespace

BOOST_AUTO_TEST_SUITE(checksums)

BOOST_AUTO_TEST_CASE(rfc1071_worked_example) {
  // RFC 1071 §3: the sum of 0001 f203 f4f5 f6f7 is ddf2, its checksum 220d.
  const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  BOOST_TEST(OnesComplementSum(data, sizeof data) == 0xddf2);
  BOOST_TEST(InternetChecksum(data, sizeof data) == 0x220d);
  // Byte order independence (§2 B): swapping each pair swaps the sum.
  const uint8_t swapped[] = {0x01, 0x00, 0x03, 0xf2, 0xf5, 0xf4, 0xf7, 0xf6};
  BOOST_TEST(OnesComplementSum(swapped, sizeof swapped) == 0xf2dd);
}

BOOST_AUTO_TEST_CASE(agrees_with_ns3_at_every_length_and_alignment) {
  const std::vector<uint8_t> data = Random(9100, 1);
  for (size_t len : {0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 20, 31, 33, 60, 1228, 1399, 1500, 9001}) {
    for (size_t offset : {0, 1, 2, 3}) {
      BOOST_TEST_CONTEXT("len " << len << " offset " << offset) {
        const uint16_t c = InternetChecksum(data.data() + offset, len);
        const auto [hi, lo] = std::pair<uint8_t, uint8_t>{uint8_t(c >> 8), uint8_t(c)};
        const auto ns3 = Ns3Checksum(data.data() + offset, len);
        BOOST_TEST(hi == ns3.first);
        BOOST_TEST(lo == ns3.second);
      }
    }
  }
  // All ones: the sum of words 0xffff stays 0xffff (one's complement zero).
  const std::vector<uint8_t> ones(1500, 0xff);
  BOOST_TEST(OnesComplementSum(ones.data(), ones.size()) == 0xffff);
}

BOOST_AUTO_TEST_CASE(fills_udp_tcp_and_icmp_as_ns3_does_with_its_checksums_on) {
  const std::vector<uint8_t> payload = Random(1201, 2);
  const auto udp = [&](bool ns3, bool ipv6) {
    Ptr<Packet> p = Create<Packet>(payload.data(), payload.size());
    UdpHeader h;
    h.SetSourcePort(49152);
    h.SetDestinationPort(6081);
    if (ns3) {
      h.EnableChecksums();
      if (ipv6) h.InitializeChecksum(kSrc6, kDst6, 17);
      if (!ipv6) h.InitializeChecksum(kSrc, kDst, 17);
    }
    p->AddHeader(h);
    return p;
  };
  for (bool ipv6 : {false, true}) {
    Ptr<Packet> filled = udp(false, ipv6);
    Ptr<ChecksumOffload> offload = CreateObject<ChecksumOffload>();
    if (ipv6) offload->Fill(filled, kSrc6, kDst6, 17);
    if (!ipv6) offload->Fill(filled, kSrc, kDst, 17);
    BOOST_TEST(BytesOf(filled) == BytesOf(udp(true, ipv6)), "UDP over IPv" << (ipv6 ? 6 : 4));
  }

  const auto tcp = [&](bool ns3) {
    Ptr<Packet> p = Create<Packet>(payload.data(), 1000);
    TcpHeader h;
    h.SetSourcePort(40000);
    h.SetDestinationPort(8080);
    h.SetSequenceNumber(SequenceNumber32(12345));
    h.SetFlags(TcpHeader::ACK);
    h.SetWindowSize(501);
    if (ns3) {
      h.EnableChecksums();
      h.InitializeChecksum(kSrc, kDst, 6);
    }
    p->AddHeader(h);
    return p;
  };
  Ptr<Packet> segment = tcp(false);
  CreateObject<ChecksumOffload>()->Fill(segment, kSrc, kDst, 6);
  BOOST_TEST(BytesOf(segment) == BytesOf(tcp(true)));

  const auto icmp = [&](bool ns3) {
    Ptr<Packet> p = Create<Packet>(payload.data(), 57);
    Icmpv4Header h;
    h.SetType(Icmpv4Header::ICMPV4_ECHO);
    if (ns3) h.EnableChecksum();
    p->AddHeader(h);
    return p;
  };
  Ptr<Packet> echo = icmp(false);
  CreateObject<ChecksumOffload>()->Fill(echo, kSrc, kDst, 1);
  BOOST_TEST(BytesOf(echo) == BytesOf(icmp(true)));
}

BOOST_AUTO_TEST_CASE(a_udp_checksum_that_computes_to_zero_is_sent_as_all_ones) {
  std::vector<uint8_t> segment(8 + 2, 0);
  segment[0] = 0xc0, segment[2] = 0x17, segment[5] = 10;
  // With the payload word w the sum is S + w; choosing w = ~S makes it 0xffff.
  ChecksumOffload::FillBytes(segment.data(), segment.size(), kSrc, kDst, 17);
  segment[8] = segment[6], segment[9] = segment[7];
  ChecksumOffload::FillBytes(segment.data(), segment.size(), kSrc, kDst, 17);
  BOOST_TEST(segment[6] == 0xffu);
  BOOST_TEST(segment[7] == 0xffu);
}

BOOST_AUTO_TEST_CASE(installed_on_a_node_it_fills_what_a_socket_sends_with_ns3_checksums_off) {
  GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
  // The UDP segment IP sends (Ipv4L3Protocol's SendOutgoing), from a node
  // with or without the offload, over loopback.
  const auto sentSegment = [](bool offload) {
    Ptr<Node> node = CreateObject<Node>();
    InternetStackHelper().Install(node);
    if (offload) {
      Ptr<ChecksumOffload> installed = ChecksumOffload::Install(node);
      BOOST_TEST(ChecksumOffload::Install(node) == installed);  // once per node
    }
    std::vector<uint8_t> seen;
    node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "SendOutgoing", MakeCallback(+[](std::vector<uint8_t>* out, const Ipv4Header&,
                                         Ptr<const Packet> p, uint32_t) {
                          *out = BytesOf(p);
                        }).Bind(&seen));
    Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    s->Bind(InetSocketAddress(Ipv4Address::GetLoopback(), 4500));
    const std::vector<uint8_t> payload = Random(300, 3);
    s->SendTo(Create<Packet>(payload.data(), payload.size()), 0,
              InetSocketAddress(Ipv4Address::GetLoopback(), 500));
    Simulator::Destroy();
    return seen;
  };
  const uint8_t loopback[4] = {127, 0, 0, 1};
  const std::vector<uint8_t> filled = sentSegment(true);
  BOOST_REQUIRE(filled.size() == 308u);
  BOOST_TEST((filled[6] != 0 || filled[7] != 0));
  // A segment that carries its checksum sums, pseudo-header included, to zero.
  BOOST_TEST(Ipv4UpperLayerChecksum(loopback, loopback, 17, filled.data(), filled.size()) == 0u);
  const std::vector<uint8_t> bare = sentSegment(false);
  BOOST_REQUIRE(bare.size() == 308u);
  BOOST_TEST((bare[6] == 0 && bare[7] == 0));  // what ns-3 sends by itself
}

BOOST_AUTO_TEST_SUITE_END()
