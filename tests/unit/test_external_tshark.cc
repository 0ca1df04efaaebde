// tshark reads the external host's capture of the documented external-endpoint
// scenario with the run's own key files: every IKE_AUTH decrypts and names
// its side by certificate DN (ID type 9), the nodes' as left_server and the
// host's as right_server; every ESP frame passes its ICV and decrypts to
// the flows the conn selects. What stays in clear is the pods' SNATed
// egress only. In tunnel mode the ESP carries the whole inner packet.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <map>
#include <sstream>

#include "run_command.h"
#include "tshark_run.h"

using namespace ipsecsim;
namespace fs = std::filesystem;

namespace {

struct Capture {
  std::string dir;
  std::string home;
};

Capture RunWithPcap(const std::string& scenario) {
  Capture c;
  const std::string parent = test::MakeTempDir("external-tshark");
  auto r = test::RunCommand(test::IpsecsimBinary() + " run scenarios/" + scenario + ".yaml --out " +
                            parent + " --pcap > /dev/null");
  BOOST_REQUIRE_EQUAL(r.exitCode, 0);
  c.dir = parent + "/" + scenario;
  c.home = c.dir + "/home";
  fs::create_directories(c.home + "/.config/wireshark");
  for (const char* file : {"esp_sa", "ikev2_decryption_table"})
    fs::copy_file(c.dir + "/keys/" + file, c.home + "/.config/wireshark/" + file);
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(external_tshark)

BOOST_AUTO_TEST_CASE(the_external_hosts_ike_and_esp_decrypt_with_the_runs_keys) {
  const Capture c = RunWithPcap("external-endpoint-documented");
  const std::string pcap = c.dir + "/pcap/ext-0-eth0.pcap";
  BOOST_REQUIRE(fs::exists(pcap));

  // IKE_AUTH: one request from each of the three nodes, one answer to each.
  std::map<std::string, int> dnBySender;
  for (const std::string& line :
       test::TsharkLines(c.home, pcap,
                         "-Y isakmp.id.type -T fields -E separator=/t -e ip.src -e "
                         "isakmp.id.type -e x509sat.uTF8String")) {
    const auto f = test::TsharkFields(line);
    BOOST_REQUIRE_GE(f.size(), 3u);
    BOOST_TEST(f[1] == "9");  // ID_DER_ASN1_DN
    const bool fromHost = f[0] == "192.0.2.10";
    BOOST_TEST_CONTEXT(line) {
      BOOST_TEST(f[2].rfind(fromHost ? "Example Org,right_server" : "Example Org,left_server", 0) ==
                 0u);
    }
    ++dnBySender[fromHost ? "host" : f[0]];
  }
  BOOST_TEST(dnBySender["host"] == 3);
  for (const char* node : {"10.0.0.10", "10.0.0.11", "10.0.0.12"})
    BOOST_TEST(dnBySender[node] == 1);

  // ESP: every ICV good, and inside it the node flows of the scenario.
  std::map<std::string, int> inside;
  for (const std::string& line :
       test::TsharkLines(c.home, pcap,
                         "-Y esp -T fields -E separator=/t -e esp.icv_good -e udp.dstport -e "
                         "tcp.dstport -e icmp.type")) {
    const auto f = test::TsharkFields(line);
    BOOST_REQUIRE_GE(f.size(), 1u);
    BOOST_TEST(f[0] == "1");
    for (size_t i = 1; i < f.size(); ++i)
      if (!f[i].empty()) ++inside[std::to_string(i) + ":" + f[i]];
  }
  BOOST_TEST(inside["1:7000"] == 20);  // node-to-external-udp
  BOOST_TEST(inside["2:7001"] >= 1);   // external-to-node-tcp
  BOOST_TEST(inside["3:8"] == 5);      // the host-network pod's echo requests
  BOOST_TEST(inside["3:0"] == 5);      // and the replies

  // In clear: only the pod's egress (UDP 7002), SNATed to its node's IP.
  for (const std::string& line :
       test::TsharkLines(c.home, pcap,
                         "-Y '(udp || tcp || icmp) && !esp && !isakmp' -T fields -E "
                         "separator=/t -e ip.src -e udp.dstport")) {
    const auto f = test::TsharkFields(line);
    BOOST_TEST_CONTEXT(line) {
      BOOST_REQUIRE_GE(f.size(), 2u);
      BOOST_TEST(f[0] == "10.0.0.11");
      BOOST_TEST(f[1] == "7002");
    }
  }
}

// Local gateway mode: the pods' egress to the host is masqueraded by their
// node and then encrypted. At the host every ESP frame decrypts; inside are
// the pods' UDP, TCP and ICMP with the node's IP as their source, and
// nothing but IKE crosses in clear.
BOOST_AUTO_TEST_CASE(local_gateway_pod_egress_decrypts_with_the_node_ip_inside) {
  const Capture c = RunWithPcap("external-endpoint-local-gateway");
  const std::string pcap = c.dir + "/pcap/ext-0-eth0.pcap";
  BOOST_REQUIRE(fs::exists(pcap));
  std::map<std::string, int> inside;
  for (const std::string& line :
       test::TsharkLines(c.home, pcap,
                         "-Y 'esp && ip.dst == 192.0.2.10' -T fields -E separator=/t -e "
                         "esp.icv_good -e ip.src -e udp.dstport -e tcp.dstport -e icmp.type")) {
    const auto f = test::TsharkFields(line);
    BOOST_REQUIRE_GE(f.size(), 2u);
    BOOST_TEST(f[0] == "1");
    // ip.src lists the outer then the inner source: both the node's.
    for (const std::string& src : test::TsharkFields(f[1], ',')) {
      BOOST_TEST_CONTEXT(line) { BOOST_TEST((src == "10.0.0.11" || src == "10.0.0.12")); }
    }
    for (size_t i = 2; i < f.size(); ++i)
      if (!f[i].empty()) ++inside[std::to_string(i) + ":" + f[i]];
  }
  BOOST_TEST(inside["2:7002"] == 20);  // pod-to-external-udp
  BOOST_TEST(inside["3:7003"] >= 16);  // pod-to-external-tcp's segments
  BOOST_TEST(inside["4:8"] == 5);      // the pod's echo requests
  BOOST_TEST(inside["2:7000"] == 20);  // the node's own datagrams
  const auto clear =
      test::TsharkLines(c.home, pcap, "-Y '(udp || tcp || icmp) && !esp && !isakmp'");
  BOOST_TEST(clear.empty());
}

// Tunnel mode: the outer IPv4 header between the hosts, and inside the ESP
// the whole inner packet, 20 bytes more than transport mode.
BOOST_AUTO_TEST_CASE(tunnel_mode_esp_decrypts_to_the_inner_packet) {
  const Capture c = RunWithPcap("external-endpoint-tunnel-mode");
  size_t udp = 0;
  for (const std::string& line : test::TsharkLines(
           c.home, c.dir + "/pcap/ext-0-eth0.pcap",
           "-Y 'esp && udp.dstport == 7000' -T fields -E separator=/t -e esp.icv_good -e ip.len "
           "-e ip.src")) {
    ++udp;
    BOOST_TEST(line == "1\t484,428\t10.0.0.11,10.0.0.11");
  }
  BOOST_TEST(udp == 20u);
  // The host's packets leave through Linux's output path: header checksums good.
  for (const std::string& line :
       test::TsharkLines(c.home, c.dir + "/pcap/ext-0-eth0.pcap",
                         "-o ip.check_checksum:TRUE -Y 'ip.src == 192.0.2.10' -T fields -e "
                         "ip.checksum.status"))
    BOOST_TEST(line.rfind("1", 0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
