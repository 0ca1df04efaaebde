// The tunnel's path-MTU check: with forced NAT-T on a 9001-byte underlay and
// the cluster MTU not reduced (8901), a full-size pod packet would become
// 9004 bytes. The pod sends it with DF (it fits the pod's route); the Geneve
// driver refuses it before encapsulation (route MTU through xfrm 8958, less
// 58 of headroom = 8900) and answers with ICMP "fragmentation needed". With
// OVN's tunnel PMTUD the pod learns 8900 and fragments the next datagrams
// itself; without it (4.14's OVN) the ICMP dies in OVN and every full-size
// datagram is lost. OVS's own DF choice for the outer header does not matter.
#include <boost/test/unit_test.hpp>

#include "icmp_port_tap.h"
#include "mtu_arithmetic.h"
#include "test_mtu_support.h"

using namespace ipsecsim;
using namespace ipsecsim::mtu_test;

namespace {

constexpr int kPackets = 8;

std::string Cluster(const std::string& df) {
  return "  version: \"4.16\"\n  host_mtu: 9001\n  cluster_mtu: 8901\n  tunnel_df: " + df +
         "\n  ipsec: {mode: Full, full: {encapsulation: Always}}\n";
}

// 4.14 has no full.encapsulation; IBM Cloud forces NAT-T all the same.
const std::string kCluster414 =
    "  version: \"4.14\"\n  platform: ibmcloud\n  host_mtu: 9001\n  cluster_mtu: 8901\n"
    "  ipsec: {}\n";  // 4.14: the empty object turns IPsec on

const std::string kFlows =
    "  - {name: full, from: a, to: b, port: 7000, packets: 8, size: 8873}\n"
    "  - {name: fits, from: a, to: b, port: 7001, packets: 8, size: 8872}\n";

// By hand: inner 8900 -> UDP 6081 segment 8938, (8938 + 2) % 4 == 0, so
// 20 (IP) + 8 (UDP 4500) + 34 (ESP) + 8938 = 9000; inner 8901 -> 8939 + pad 3
// -> 9004.
constexpr uint32_t kLargestInnerThatFits = 8900;

void ExpectOneLostThenLocalFragments(const harness::RunReport& r) {
  const harness::FlowResult& full = Flow(r, "full");
  BOOST_TEST(full.verdict == "encrypted", full.explanation);
  BOOST_TEST(full.delivered == uint64_t(kPackets - 1));  // the ICMP round trip costs one
  BOOST_TEST(full.wire.dfDrops == 1u);
  BOOST_TEST(full.wire.icmpFragNeeded == 1u);
  BOOST_TEST(full.wire.nextHopMtu == kLargestInnerThatFits);
  // Datagrams 2..8 leave the pod as two fragments (8900 bytes and 21), each
  // its own ESP packet of at most 9000. Seen protected on both links: the
  // first fragments; the 1-byte second ones carry no whole flow marker.
  BOOST_TEST(full.protectedPackets == uint64_t(2 * (kPackets - 1)));
  BOOST_TEST(full.wire.largestPacket <= 9000u);
  const harness::FlowResult& fits = Flow(r, "fits");
  BOOST_TEST(fits.verdict == "encrypted");
  BOOST_TEST(fits.delivered == uint64_t(kPackets));
  BOOST_TEST(fits.wire.largestPacket == 9000u);
  BOOST_TEST(fits.wire.dfDrops == 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mtu_df)

BOOST_AUTO_TEST_CASE(the_tunnel_refuses_one_datagram_and_the_pod_fragments_the_rest) {
  BOOST_TEST(sim::mtu::OuterIpLength(8901, sim::mtu::Protection::kEspInUdp) == 9004u);
  const harness::RunReport r = RunYaml(TwoNodeYaml(Cluster("set"), kFlows));
  ExpectOneLostThenLocalFragments(r);
  BOOST_TEST(r.mtuBudget.headroom == -3);
}

BOOST_AUTO_TEST_CASE(without_ovn_tunnel_pmtud_the_icmp_dies_and_every_full_datagram_is_lost) {
  const harness::RunReport r = RunYaml(TwoNodeYaml(kCluster414, kFlows));
  const harness::FlowResult& full = Flow(r, "full");
  BOOST_TEST(full.verdict == "dropped");
  BOOST_TEST(full.wire.dfDrops == uint64_t(kPackets));
  BOOST_TEST(full.wire.packets == 0u);         // refused before ESP: nothing on the wire
  BOOST_TEST(full.wire.icmpFragNeeded == 0u);  // nothing reached the pod's port
  BOOST_TEST(Flow(r, "fits").delivered == uint64_t(kPackets));
}

BOOST_AUTO_TEST_CASE(ovs_df_clear_changes_nothing_for_inner_packets_with_df) {
  ExpectOneLostThenLocalFragments(RunYaml(TwoNodeYaml(Cluster("clear"), kFlows)));
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
