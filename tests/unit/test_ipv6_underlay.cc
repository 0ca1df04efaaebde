// cluster.ip_family: ipv6 from scenario to wire: the IKE daemons negotiate
// over IPv6, Geneve and ESP run between IPv6 node IPs, the sending host
// fragments what exceeds the underlay MTU at the exact byte where the
// arithmetic says, a smaller path MTU is answered by Packet Too Big and learnt
// by the host (from IKE_AUTH when that is the first packet too big), and
// tshark opens the run's captures with its key files. The loader refuses
// what the IPv6 underlay does not model.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"
#include "test_mtu_support.h"
#include "tshark_run.h"

using namespace ipsecsim;
using namespace ipsecsim::mtu_test;
namespace fs = std::filesystem;

namespace {

constexpr int kPackets = 10;

std::string Ipv6Cluster(const std::string& more = "") {
  return "  version: \"4.16\"\n  ip_family: ipv6\n  host_mtu: 1500\n  cluster_mtu: 1400\n" + more;
}

std::string UdpFlow(const std::string& name, int port, int size) {
  return "  - {name: " + name + ", from: a, to: b, port: " + std::to_string(port) +
         ", packets: " + std::to_string(kPackets) + ", size: " + std::to_string(size) + "}\n";
}

// By hand, for ESP over IPv6 on 1500: a UDP payload of P bytes is an inner
// packet of P + 28, a UDP 6081 segment of P + 66 (Ethernet 14, Geneve 8 + 8,
// UDP 8), ESP 34 + padding to (segment + 2) % 4 == 0, and IPv6 40.
// P = 1360: segment 1426, padding 0, 40 + 1426 + 34 = 1500 bytes: fits.
// P = 1361: segment 1427, padding 3, 1504 bytes: the host cuts it into
// 40 + 8 + 1448 = 1496 and 40 + 8 + 16 = 64 bytes (1504 - 40 = 1464 = 1448 + 16).
constexpr int kLargestWholePayload = 1360;

std::string LoaderError(const std::string& yaml) {
  try {
    harness::LoadScenarioText(yaml, "ipv6.yaml");
  } catch (const harness::ScenarioError& e) {
    return e.what();
  }
  return "";
}

// Runs the YAML with --pcap into a fresh directory whose home/.config/wireshark
// holds the run's esp_sa and ikev2_decryption_table; returns the directory.
std::string RunWithKeys(const std::string& name, const std::string& yamlText) {
  const std::string parent = test::MakeTempDir(name);
  const std::string yaml = parent + "/ipv6.yaml";
  std::ofstream(yaml) << yamlText;
  auto run = test::RunCommand(test::IpsecsimBinary() + " run " + yaml + " --out " + parent +
                              " --pcap > /dev/null");
  std::string dir;  // DIR/<scenario name>, the only directory the run made
  for (const auto& entry : fs::directory_iterator(parent))
    if (entry.is_directory()) dir = entry.path().string();
  BOOST_REQUIRE(!dir.empty());
  BOOST_REQUIRE_EQUAL(run.exitCode, 0);
  fs::create_directories(dir + "/home/.config/wireshark");
  for (const char* keys : {"esp_sa", "ikev2_decryption_table"})
    fs::copy_file(dir + "/keys/" + keys, dir + "/home/.config/wireshark/" + keys);
  return dir;
}

size_t Count(const std::vector<std::string>& lines, const std::string& text) {
  size_t n = 0;
  for (const std::string& line : lines) n += line == text;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ipv6_underlay)

BOOST_AUTO_TEST_CASE(the_host_fragments_exactly_past_the_arithmetic_threshold) {
  const harness::RunReport r = RunYaml(TwoNodeYaml(
      Ipv6Cluster("  ipsec: {mode: Full}\n"), UdpFlow("fits", 7000, kLargestWholePayload) +
                                                  UdpFlow("over", 7001, kLargestWholePayload + 1)));
  BOOST_TEST(r.ipFamily == "ipv6");
  // Every SA negotiated by IKEv2 over IPv6: each node starts its "out"
  // connection, so two IKE SAs of four messages, each counted where it
  // enters the underlay and where the switch forwards it.
  BOOST_TEST(r.keying == "ike");
  BOOST_TEST(r.underlayPackets.at("ike") == 16u);
  for (const harness::NodeCounters& node : r.nodes) BOOST_TEST(node.connectionsUp == 2u);
  const harness::FlowResult& fits = Flow(r, "fits");
  BOOST_TEST(fits.verdict == "encrypted");
  BOOST_TEST(fits.delivered == uint64_t(kPackets));
  BOOST_TEST(fits.wire.fragments == 0u);
  BOOST_TEST(fits.wire.largestPacket == 1500u);
  const harness::FlowResult& over = Flow(r, "over");
  BOOST_TEST(over.verdict == "encrypted");
  BOOST_TEST(over.delivered == uint64_t(kPackets));
  BOOST_TEST(over.wire.fragments == uint64_t(2 * kPackets));
  BOOST_TEST(over.wire.maxFragmentsPerPacket == 2u);
  BOOST_TEST(over.wire.largestPacket == 1496u);
  BOOST_TEST(over.wire.bytes == uint64_t(kPackets * (1496 + 64)));
  // Nothing between the nodes went as cleartext Geneve.
  BOOST_TEST(r.underlayPackets.count("geneve") == 0u);
  BOOST_TEST(r.underlayPackets.at("esp") > 0u);
}

BOOST_AUTO_TEST_CASE(without_ipsec_geneve_crosses_the_ipv6_underlay_in_clear) {
  const harness::RunReport r = RunYaml(TwoNodeYaml(Ipv6Cluster(), UdpFlow("plain", 7000, 1000)));
  const harness::FlowResult& plain = Flow(r, "plain");
  BOOST_TEST(plain.verdict == "plaintext");
  BOOST_TEST(plain.delivered == uint64_t(kPackets));
  // 1000 + 28 + 78 = 1106 bytes of IPv6.
  BOOST_TEST(plain.wire.largestPacket == 1106u);
  BOOST_TEST(r.underlayPackets.count("esp") == 0u);
}

BOOST_AUTO_TEST_CASE(esp_in_udp_over_ipv6_adds_eight_bytes) {
  const harness::RunReport r =
      RunYaml(TwoNodeYaml(Ipv6Cluster("  ipsec: {mode: Full, full: {encapsulation: Always}}\n"),
                          UdpFlow("natt", 7000, 1000)));
  const harness::FlowResult& natt = Flow(r, "natt");
  BOOST_TEST(natt.verdict == "encrypted");
  // Segment 1066, padding 0: 40 + 8 + 34 + 1066 = 1148.
  BOOST_TEST(natt.wire.largestPacket == 1148u);
  BOOST_TEST(r.underlayPackets.count("esp") == 0u);
  BOOST_TEST(r.underlayPackets.at("esp-in-udp") > 0u);
}

// IKE_AUTH with a cluster certificate is 1481 bytes of IPv6 (UDP 1441): the
// largest packet before any ESP. A path that carries it but not a whole
// 1500-byte ESP packet shows the ESP side of path MTU discovery; one below
// it shows IKE learning the path first.
BOOST_AUTO_TEST_CASE(a_smaller_path_mtu_draws_packet_too_big_and_the_host_learns_it) {
  const harness::RunReport r =
      RunYaml(TwoNodeYaml(Ipv6Cluster("  ipsec: {mode: Full}\n") + "underlay:\n  path_mtu: 1488\n",
                          UdpFlow("big", 7000, kLargestWholePayload)));
  // 1360 + 66 = 1426 segment, padding 0: 1500 bytes, over the path's 1488.
  const harness::FlowResult& big = Flow(r, "big");
  BOOST_TEST(big.verdict == "encrypted");
  BOOST_TEST(big.sent == uint64_t(kPackets));
  BOOST_TEST(big.delivered == uint64_t(kPackets - 1));  // the first died in the core
  // After it, each leaves in (1488 - 48) & ~7 = 1440-byte pieces: 1488 + 68.
  BOOST_TEST(big.wire.fragments == uint64_t(2 * (kPackets - 1)));
  BOOST_TEST(big.wire.largestPacket == 1500u);  // the first, sent whole
  BOOST_TEST(big.wire.bytes == uint64_t(1500 + (kPackets - 1) * (1488 + 68)));
  BOOST_REQUIRE(r.underlayFilters.size() == 1u);
  BOOST_TEST(
      r.underlayFilters[0].find("1 packets too big, 1 Packet Too Big sent") != std::string::npos,
      r.underlayFilters[0]);
}

BOOST_AUTO_TEST_CASE(a_path_below_ike_auth_is_learnt_before_any_esp) {
  const harness::RunReport r =
      RunYaml(TwoNodeYaml(Ipv6Cluster("  ipsec: {mode: Full}\n") + "underlay:\n  path_mtu: 1400\n",
                          UdpFlow("big", 7000, 1300)));
  // Both IKE_AUTH requests (1481 bytes) die in the core; each host learns
  // 1400 for its peer and pluto's retransmission 0.5 s later leaves in two
  // fragments. Every ESP packet (1300 + 66 = 1366 segment, 1440 bytes) then
  // leaves as 1400 + 88 from the first: nothing of the flow is lost.
  BOOST_TEST(r.keying == "ike");
  const harness::FlowResult& big = Flow(r, "big");
  BOOST_TEST(big.verdict == "encrypted");
  BOOST_TEST(big.delivered == uint64_t(kPackets));
  BOOST_TEST(big.wire.fragments == uint64_t(2 * kPackets));
  BOOST_TEST(big.wire.largestPacket == 1400u);
  BOOST_REQUIRE(r.underlayFilters.size() == 1u);
  BOOST_TEST(
      r.underlayFilters[0].find("2 packets too big, 2 Packet Too Big sent") != std::string::npos,
      r.underlayFilters[0]);
  for (const harness::NodeCounters& node : r.nodes) BOOST_TEST(node.connectionsUp == 2u);
}

BOOST_AUTO_TEST_CASE(tshark_opens_esp_over_ipv6_with_the_run_keys) {
  const std::string dir =
      RunWithKeys("ipv6-tshark",
                  TwoNodeYaml(Ipv6Cluster("  ipsec: {mode: Full}\n"), UdpFlow("udp", 7000, 1361)));
  // Every ESP datagram worker-0 sends: IPv6 node IP to node IP, reassembled
  // from two fragments, ICV good, Geneve inside carrying pod a's packet to b.
  const auto lines =
      test::TsharkLines(dir + "/home", dir + "/pcap/worker-0-eth0.pcap",
                        "-Y 'esp && ipv6.src == fd00:10::a' -T fields -E separator='|' -e ipv6.dst "
                        "-e ipv6.fragment.count -e esp.icv_good -e udp.dstport -e ip.dst");
  BOOST_TEST(lines.size() == size_t(kPackets));
  BOOST_TEST(Count(lines, "fd00:10::b|2|1|6081,7000|10.128.2.3") == size_t(kPackets));
}

BOOST_AUTO_TEST_CASE(tshark_decrypts_ike_over_ipv6_and_shows_ipv6_traffic_selectors) {
  // A 1400-byte path: IKE_AUTH is retransmitted in two IPv6 fragments, which
  // tshark reassembles before decrypting.
  const std::string dir = RunWithKeys(
      "ipv6-ike-tshark",
      TwoNodeYaml(Ipv6Cluster("  ipsec: {mode: Full}\n") + "underlay:\n  path_mtu: 1400\n",
                  UdpFlow("udp", 7000, 1000)));
  const std::string pcap = dir + "/pcap/worker-0-eth0.pcap";
  const std::string fields =
      "-o udp.check_checksum:TRUE -Y 'isakmp.exchangetype == 35 && isakmp.ts.type' -T fields "
      "-E separator='|' -e ipv6.src -e udp.checksum.status -e isakmp.ts.type "
      "-e isakmp.ts.selector_length -e isakmp.ts.protoid -e isakmp.ts.start_ipv6 "
      "-e isakmp.ts.end_ipv6 -e isakmp.ts.start_port -e isakmp.ts.end_port";
  const auto lines = test::TsharkLines(dir + "/home", pcap, fields);
  // At worker-0's NIC: its first IKE_AUTH request (whole, lost in the core),
  // its retransmission and worker-1's response, worker-1's retransmitted
  // request and worker-0's response. Each carries TSi and TSr of type 8
  // (RFC 7296 §3.13.1, 40 bytes), UDP, one address each, the initiator's any
  // port and the responder's 6081, and a UDP checksum tshark finds good.
  BOOST_TEST(lines.size() == 5u);
  const std::string aToB =
      "|1|8,8|40,40|17,17|fd00:10::a,fd00:10::b|fd00:10::a,fd00:10::b|0,6081|65535,6081";
  const std::string bToA =
      "|1|8,8|40,40|17,17|fd00:10::b,fd00:10::a|fd00:10::b,fd00:10::a|0,6081|65535,6081";
  BOOST_TEST(Count(lines, "fd00:10::a" + aToB) == 2u);  // worker-0's requests
  BOOST_TEST(Count(lines, "fd00:10::b" + aToB) == 1u);  // worker-1's response
  BOOST_TEST(Count(lines, "fd00:10::b" + bToA) == 1u);  // worker-1's request
  BOOST_TEST(Count(lines, "fd00:10::a" + bToA) == 1u);  // worker-0's response
  // Every SK payload of IKE_AUTH decrypted with a good ICV.
  const auto icv = test::TsharkLines(dir + "/home", pcap,
                                     "-Y 'isakmp.exchangetype == 35' -V | grep -c "
                                     "'(16 bytes)\\[correct\\]'");
  BOOST_TEST(icv.at(0) == "5");
  // Negative control: without the table the selectors stay hidden.
  BOOST_TEST(test::TsharkLines(dir + "/nohome", pcap, fields).empty());
}

BOOST_AUTO_TEST_CASE(the_loader_refuses_what_the_ipv6_underlay_does_not_model) {
  const std::string flows = UdpFlow("f", 7000, 100);
  BOOST_TEST(LoaderError(TwoNodeYaml(Ipv6Cluster(), flows)).empty());
  BOOST_TEST(LoaderError(TwoNodeYaml("  ip_family: ipv4\n", flows)).empty());
  const std::string family = LoaderError(TwoNodeYaml("  ip_family: ipv5\n", flows));
  BOOST_TEST(family.find("cluster.ip_family") != std::string::npos, family);
  const std::string ibm =
      LoaderError(TwoNodeYaml("  platform: ibmcloud\n  ip_family: ipv6\n", flows));
  BOOST_TEST(ibm.find("expected ipv4 on platform ibmcloud") != std::string::npos, ibm);
  const std::string nat = LoaderError(TwoNodeYaml(Ipv6Cluster(), flows) +
                                      "underlay:\n  nats: [{name: n, nodes: [worker-0]}]\n");
  BOOST_TEST(nat.find("underlay.nats") != std::string::npos, nat);
  BOOST_TEST(nat.find("NAT66") != std::string::npos, nat);
  const std::string v4path = LoaderError(TwoNodeYaml("", flows) + "underlay:\n  path_mtu: 1400\n");
  BOOST_TEST(v4path.find("only with cluster.ip_family: ipv6") != std::string::npos, v4path);
  const std::string small =
      LoaderError(TwoNodeYaml(Ipv6Cluster(), flows) + "underlay:\n  path_mtu: 1279\n");
  BOOST_TEST(small.find("from 1280") != std::string::npos, small);
  const std::string large =
      LoaderError(TwoNodeYaml(Ipv6Cluster(), flows) + "underlay:\n  path_mtu: 1500\n");
  BOOST_TEST(large.find("host_mtu - 1 = 1499") != std::string::npos, large);
  // Lifecycle procedures run on IPv6 too (test_lifecycle_scenarios).
  BOOST_TEST(LoaderError(TwoNodeYaml(Ipv6Cluster(), flows) +
                         "lifecycle:\n  procedure: {start: 10s, steps: []}\n")
                 .empty());
}

BOOST_AUTO_TEST_SUITE_END()
