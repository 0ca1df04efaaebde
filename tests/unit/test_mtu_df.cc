// DF on the Geneve tunnel: with forced NAT-T on a 9001-byte underlay and the
// cluster MTU not reduced (8901), a full-size pod packet becomes 9004 bytes.
// OVS's default (DF set) drops it and the pod's port then carries ICMP
// "fragmentation needed" with the largest inner packet that fits; with DF
// clear the same packet is fragmented on the underlay instead.
#include <boost/test/unit_test.hpp>

#include "icmp_port_tap.h"
#include "mtu_arithmetic.h"
#include "test_mtu_support.h"

using namespace ipsecsim;
using namespace ipsecsim::mtu_test;

namespace {

constexpr int kPackets = 8;

std::string Cluster(const std::string& df) {
  return "  host_mtu: 9001\n  cluster_mtu: 8901\n  tunnel_df: " + df +
         "\n  ipsec: {mode: Full, full: {encapsulation: Always}}\n";
}

const std::string kFlows =
    "  - {name: full, from: a, to: b, port: 7000, packets: 8, size: 8873}\n"
    "  - {name: fits, from: a, to: b, port: 7001, packets: 8, size: 8872}\n";

// By hand: inner 8900 -> UDP 6081 segment 8938, (8938 + 2) % 4 == 0, so
// 20 (IP) + 8 (UDP 4500) + 34 (ESP) + 8938 = 9000; inner 8901 -> 8939 + pad 3
// -> 9004.
constexpr uint32_t kLargestInnerThatFits = 8900;

}  // namespace

BOOST_AUTO_TEST_SUITE(mtu_df)

BOOST_AUTO_TEST_CASE(df_set_drops_and_tells_the_pod_the_next_hop_mtu) {
  BOOST_TEST(sim::mtu::OuterIpLength(8901, sim::mtu::Protection::kEspInUdp) == 9004u);
  const harness::RunReport r = RunYaml(TwoNodeYaml(Cluster("set"), kFlows));
  const harness::FlowResult& full = Flow(r, "full");
  BOOST_TEST(full.verdict == "dropped");
  BOOST_TEST(full.wire.dfDrops == uint64_t(kPackets));
  BOOST_TEST(full.wire.packets == 0u);  // nothing of it reached the wire
  BOOST_TEST(full.wire.icmpFragNeeded == uint64_t(kPackets));
  BOOST_TEST(full.wire.nextHopMtu == kLargestInnerThatFits);
  const harness::FlowResult& fits = Flow(r, "fits");
  BOOST_TEST(fits.verdict == "encrypted");
  BOOST_TEST(fits.delivered == uint64_t(kPackets));
  BOOST_TEST(fits.wire.largestPacket == 9000u);
  BOOST_TEST(fits.wire.dfDrops == 0u);
  BOOST_TEST(r.mtuBudget.headroom == -3);
}

BOOST_AUTO_TEST_CASE(df_clear_fragments_on_the_underlay_instead) {
  const harness::RunReport r = RunYaml(TwoNodeYaml(Cluster("clear"), kFlows));
  const harness::FlowResult& full = Flow(r, "full");
  BOOST_TEST(full.verdict == "encrypted", full.explanation);
  BOOST_TEST(full.delivered == uint64_t(kPackets));
  BOOST_TEST(full.wire.dfDrops == 0u);
  BOOST_TEST(full.wire.fragments == uint64_t(2 * kPackets));
  BOOST_TEST(full.wire.maxFragmentsPerPacket == 2u);
  // Two fragments: 9001 - 20 rounded down to 8 bytes, then the rest.
  BOOST_TEST(full.wire.largestPacket == 20u + (9001u - 20u) / 8u * 8u);
  BOOST_TEST(full.wire.bytes == uint64_t(kPackets) * (9004u + 20u));
  BOOST_TEST(Flow(r, "fits").wire.fragments == 0u);
}

BOOST_AUTO_TEST_CASE(frag_needed_is_parsed_from_its_bytes) {
  // IPv4 | ICMP 3/4 with next-hop MTU 1408 | quoted IPv4 UDP to 10.129.2.3:7000
  std::vector<uint8_t> p(20 + 8 + 28, 0);
  p[0] = 0x45;
  p[9] = 1;
  p[20] = 3;
  p[21] = 4;
  p[26] = 1408 >> 8;
  p[27] = 1408 & 0xFF;
  p[28] = 0x45;
  p[37] = 17;
  const uint8_t dst[4] = {10, 129, 2, 3};
  std::copy(dst, dst + 4, p.begin() + 44);
  p[50] = 7000 >> 8;
  p[51] = 7000 & 0xFF;
  harness::FragNeeded f;
  BOOST_TEST(harness::ParseFragNeeded(p.data(), p.size(), &f));
  BOOST_TEST(f.nextHopMtu == 1408u);
  BOOST_TEST(f.quotedDestination == 0x0A810203u);
  BOOST_TEST(f.quotedDestinationPort == 7000u);
  p[21] = 1;  // host unreachable: not frag-needed
  BOOST_TEST(!harness::ParseFragNeeded(p.data(), p.size(), &f));
}

BOOST_AUTO_TEST_CASE(bad_df_policy_and_counts_are_rejected_with_their_key) {
  auto keyOf = [](const std::string& yaml) {
    try {
      harness::LoadScenarioText(yaml, "x.yaml");
    } catch (const harness::ScenarioError& e) {
      return e.key + " " + std::to_string(e.line);
    }
    return std::string("accepted");
  };
  BOOST_TEST(keyOf(TwoNodeYaml("  tunnel_df: sometimes\n", kFlows)) == "cluster.tunnel_df 6");
  const std::string expect = "expect:\n  - {flow: full, verdict: dropped, fragments: -1}\n";
  BOOST_TEST(keyOf(TwoNodeYaml("", kFlows) + expect) == "expect[0].fragments 13");
  BOOST_TEST(keyOf(TwoNodeYaml("", kFlows) + "expect:\n  - {flow: full, verdict: dropped, "
                                             "max_fragments_per_packet: x}\n") ==
             "expect[0].max_fragments_per_packet 13");
  BOOST_TEST(keyOf(TwoNodeYaml("  tunnel_df: inherit\n", kFlows)) == "accepted");
}

BOOST_AUTO_TEST_SUITE_END()
