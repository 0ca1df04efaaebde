// tshark reads the captures of a reference run with the run's own keys file:
// all cross-node pod traffic on the underlay is ESP that decrypts to Geneve
// carrying the pods' packets, and no Geneve appears in clear. The negative
// control's captures show Geneve in clear and no ESP.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <sstream>

#include "run_command.h"
#include "tshark_run.h"

using namespace ipsecsim;
namespace fs = std::filesystem;

namespace {

struct Capture {
  std::string dir;
  std::vector<std::string> pcaps;
};

Capture RunWithPcap(const std::string& scenario) {
  Capture c;
  const std::string parent = test::MakeTempDir("cluster-tshark");
  auto r = test::RunCommand(test::IpsecsimBinary() + " run scenarios/" + scenario + " --out " +
                            parent + " --pcap > /dev/null");
  // Each reference scenario is named after its file: DIR/<name>/.
  c.dir = parent + "/" + fs::path(scenario).stem().string();
  BOOST_REQUIRE_EQUAL(r.exitCode, 0);
  // Wireshark reads its ESP SA table from the personal configuration folder.
  fs::create_directories(c.dir + "/home/.config/wireshark");
  fs::copy_file(c.dir + "/keys/esp_sa", c.dir + "/home/.config/wireshark/esp_sa");
  if (fs::exists(c.dir + "/keys/ikev2_decryption_table")) {
    fs::copy_file(c.dir + "/keys/ikev2_decryption_table",
                  c.dir + "/home/.config/wireshark/ikev2_decryption_table");
  }
  for (auto& e : fs::directory_iterator(c.dir + "/pcap")) c.pcaps.push_back(e.path());
  BOOST_REQUIRE_EQUAL(c.pcaps.size(), 6u);
  return c;
}

std::vector<std::string> Tshark(const Capture& c, const std::string& pcap,
                                const std::string& args) {
  return test::TsharkLines(c.dir + "/home", pcap, args);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_tshark)

BOOST_AUTO_TEST_CASE(cross_node_pod_traffic_is_esp_that_decrypts_to_geneve) {
  const Capture c = RunWithPcap("flow-matrix.yaml");
  size_t espFrames = 0;
  for (const std::string& pcap : c.pcaps) {
    BOOST_TEST_CONTEXT(pcap) {
      // Geneve never in clear.
      BOOST_TEST(Tshark(c, pcap, "-Y 'geneve && !esp'").empty());
      for (const std::string& line :
           Tshark(c, pcap,
                  "-Y esp -T fields -E separator=/t -e esp.icv_good -e geneve.vni "
                  "-e ip.src -e ip.dst")) {
        ++espFrames;
        std::istringstream f(line);
        std::string icv, vni, src, dst;
        std::getline(f, icv, '\t');
        std::getline(f, vni, '\t');
        std::getline(f, src, '\t');
        std::getline(f, dst, '\t');
        BOOST_TEST_CONTEXT(line) {
          BOOST_TEST(icv == "1");
          BOOST_TEST(!vni.empty());
          // Outer node IPs, then the inner pod (or management port) addresses.
          BOOST_TEST(src.rfind("10.0.0.", 0) == 0u);
          BOOST_TEST(src.find(",10.128.") != std::string::npos);
          BOOST_TEST(dst.find(",10.128.") != std::string::npos);
        }
      }
    }
  }
  BOOST_TEST(espFrames > 200u);
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

BOOST_AUTO_TEST_CASE(every_sa_was_negotiated_by_ike_authenticated_by_node_certificates) {
  const Capture c = RunWithPcap("flow-matrix.yaml");
  // worker-0's NIC sees the IKE_AUTH exchanges of its 10 connections (5 peers,
  // out and in): 20 messages, each decrypting with a correct ICV.
  const std::string pcap = c.dir + "/pcap/worker-0-eth0.pcap";
  auto r = test::RunCommand("HOME=" + c.dir + "/home tshark -r " + pcap +
                            " -V -Y 'isakmp.exchangetype == 35' 2>/dev/null");
  BOOST_REQUIRE_EQUAL(r.exitCode, 0);
  BOOST_TEST(Count(r.output, "Exchange type: IKE_AUTH (35)") == 20u);
  BOOST_TEST(Count(r.output, "(16 bytes)[correct]") == 20u);
  BOOST_TEST(Count(r.output, "[incorrect") == 0u);
  // IDs are the nodes' OVS system-ids (UUIDs) as ID_FQDN, and transport mode is asked for.
  BOOST_TEST(Count(r.output, "ID type: FQDN (2)") == 20u);
  BOOST_TEST(Count(r.output, "USE_TRANSPORT_MODE") >= 20u);
  // Every ESP SPI on the wire was created by a negotiated Child SA: all decrypt.
  for (const std::string& line : Tshark(c, pcap, "-Y esp -T fields -e esp.icv_good")) {
    BOOST_TEST(line == "1");
  }
}

BOOST_AUTO_TEST_CASE(negative_control_captures_show_geneve_in_clear) {
  const Capture c = RunWithPcap("flow-matrix-ipsec-off.yaml");
  size_t geneve = 0, esp = 0;
  for (const std::string& pcap : c.pcaps) {
    geneve += Tshark(c, pcap, "-Y geneve").size();
    esp += Tshark(c, pcap, "-Y esp").size();
  }
  BOOST_TEST(geneve > 200u);
  BOOST_TEST(esp == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
