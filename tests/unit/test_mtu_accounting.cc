// Exact per-packet accounting: the IP total length the wire oracle measured
// for pod packets of known sizes, against the RFC arithmetic done by hand
// here (RFC 791 / 768 headers, Geneve RFC 8926 with OVN's one option,
// transport-mode ESP with AES-GCM-16 per RFC 4303 / 4106, UDP 4500 per
// RFC 3948).
#include <boost/test/unit_test.hpp>

#include "mtu_arithmetic.h"
#include "test_mtu_support.h"

using namespace ipsecsim;
using namespace ipsecsim::mtu_test;

namespace {

constexpr uint32_t kPackets = 6;

// By hand: UDP payload -> inner IPv4 -> Geneve's UDP 6081 segment -> ESP.
uint32_t InnerIp(uint32_t payload) { return payload + 8 + 20; }
uint32_t Udp6081Segment(uint32_t inner) { return inner + 14 + 8 + 8 + 8; }
uint32_t EspPacket(uint32_t segment) {
  uint32_t pad = 0;
  while ((segment + pad + 2) % 4 != 0) ++pad;
  return 8 + 8 + segment + pad + 1 + 1 + 16;
}

std::string Flows() {
  std::string flows;
  for (uint32_t size : {800, 801, 802, 803, 804}) {
    flows += "  - {name: u" + std::to_string(size) +
             ", from: a, to: b, port: " + std::to_string(7000 + size) +
             ", packets: " + std::to_string(kPackets) + ", size: " + std::to_string(size) + "}\n";
  }
  return flows;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mtu_accounting)

BOOST_AUTO_TEST_CASE(the_800_byte_example_by_hand) {
  BOOST_TEST(InnerIp(800) == 828u);
  BOOST_TEST(Udp6081Segment(828) == 866u);
  BOOST_TEST(EspPacket(866) - 866 == 34u);  // (866 + 2) % 4 == 0: no padding
  BOOST_TEST(20 + EspPacket(866) == 920u);
  BOOST_TEST(sim::mtu::OuterIpLength(828, sim::mtu::Protection::kEsp) == 920u);
}

BOOST_AUTO_TEST_CASE(esp_packets_on_the_wire_have_the_rfc_length) {
  const harness::RunReport r = RunYaml(TwoNodeYaml("  ipsec: {mode: Full}\n", Flows()));
  for (uint32_t size : {800u, 801u, 802u, 803u, 804u}) {
    const harness::FlowResult& f = Flow(r, "u" + std::to_string(size));
    const uint32_t expected = 20 + EspPacket(Udp6081Segment(InnerIp(size)));
    BOOST_TEST_CONTEXT("payload " << size << ": " << f.explanation) {
      BOOST_TEST(f.verdict == "encrypted");
      BOOST_TEST(f.wire.largestPacket == expected);
      BOOST_TEST(f.wire.bytes == uint64_t(expected) * kPackets);
      BOOST_TEST(f.wire.packets == kPackets);
      BOOST_TEST(f.wire.fragments == 0u);
      BOOST_TEST(f.bytesDelivered == uint64_t(size) * kPackets);
      BOOST_TEST(f.wire.BytesPerPayloadByte(f.bytesDelivered) == double(expected) / size,
                 boost::test_tools::tolerance(1e-12));
    }
  }
  // 801..804 share one padded length: the padding absorbs the difference.
  BOOST_TEST(Flow(r, "u801").wire.largestPacket == 924u);
  BOOST_TEST(Flow(r, "u804").wire.largestPacket == 924u);
}

BOOST_AUTO_TEST_CASE(geneve_in_clear_and_esp_in_udp_4500) {
  const harness::RunReport off = RunYaml(TwoNodeYaml("", Flows()));
  BOOST_TEST(Flow(off, "u800").wire.largestPacket == 20 + Udp6081Segment(InnerIp(800)));
  BOOST_TEST(Flow(off, "u800").wire.largestPacket == 886u);
  const harness::RunReport natt = RunYaml(TwoNodeYaml(
      "  version: \"4.16\"\n  ipsec: {mode: Full, full: {encapsulation: Always}}\n", Flows()));
  for (uint32_t size : {800u, 803u}) {
    const uint32_t expected = 20 + 8 + EspPacket(Udp6081Segment(InnerIp(size)));
    BOOST_TEST(Flow(natt, "u" + std::to_string(size)).wire.largestPacket == expected);
  }
}

BOOST_AUTO_TEST_SUITE_END()
