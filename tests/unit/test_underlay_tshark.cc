// tshark reads the captures of the NAT reference runs with the runs' own key
// files: traffic through the NAT is ESP in UDP 4500 that decrypts to Geneve,
// IKE after the float carries the non-ESP marker and decrypts, no ESP
// (protocol 50) crosses the NAT, and the keepalives of the node behind it
// are on the wire every 20 s, or not at all with nat_keepalive: 0.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <map>
#include <sstream>
#include <vector>

#include "run_command.h"
#include "tshark_run.h"

using namespace ipsecsim;
namespace fs = std::filesystem;

namespace {

constexpr const char* kNatPublic = "10.0.254.1";

struct Capture {
  std::string dir;
  std::string Pcap(const std::string& node) const { return dir + "/pcap/" + node + "-eth0.pcap"; }
};

Capture RunWithPcap(const std::string& scenario) {
  const std::string parent = test::MakeTempDir("underlay-tshark");
  auto r = test::RunCommand(test::IpsecsimBinary() + " run scenarios/" + scenario + " --out " +
                            parent + " --pcap > /dev/null");
  // Each reference scenario is named after its file: DIR/<name>/.
  Capture c{parent + "/" + fs::path(scenario).stem().string()};
  BOOST_REQUIRE_EQUAL(r.exitCode, 0);
  // Wireshark reads esp_sa and ikev2_decryption_table from its personal folder.
  fs::create_directories(c.dir + "/home/.config/wireshark");
  for (const char* file : {"esp_sa", "ikev2_decryption_table"}) {
    fs::copy_file(c.dir + "/keys/" + file, c.dir + "/home/.config/wireshark/" + file);
  }
  return c;
}

std::vector<std::string> Tshark(const Capture& c, const std::string& pcap,
                                const std::string& args) {
  return test::TsharkLines(c.dir + "/home", pcap, args);
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, '\t');) out.push_back(f);
  return out;
}

size_t Count(const std::vector<std::string>& lines, const std::string& part) {
  size_t n = 0;
  for (const std::string& line : lines) n += line.find(part) != std::string::npos;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(underlay_tshark)

BOOST_AUTO_TEST_CASE(esp_through_the_nat_is_udp_encapsulated_and_decrypts) {
  const Capture c = RunWithPcap("nat-natt.yaml");
  const std::string outside = c.Pcap("worker-0");
  // What worker-0 exchanges with the NAT's public address: ESP in UDP 4500,
  // ICV correct, opening to Geneve (UDP 6081) with the pods' packets.
  const auto esp = Tshark(c, outside,
                          std::string("-Y 'esp && ip.addr == ") + kNatPublic +
                              "' -T fields -e udp.srcport -e udp.dstport -e esp.icv_good "
                              "-e geneve.vni -e ip.src");
  // 20 + 10 UDP and ICMP pod packets, 16 TCP segments of a full route MTU,
  // and TCP's handshake and ACKs.
  BOOST_TEST(esp.size() >= 55u);
  size_t fromNat = 0;
  for (const std::string& line : esp) {
    const auto f = Fields(line);
    BOOST_REQUIRE(f.size() == 5u);
    BOOST_TEST_CONTEXT(line) {
      BOOST_TEST(f[0].rfind("4500,", 0) == 0u);  // outer UDP 4500, then the inner Geneve's
      BOOST_TEST(f[1].rfind("4500,6081", 0) == 0u);
      BOOST_TEST(f[2] == "1");
      BOOST_TEST(!f[3].empty());
    }
    fromNat += f[4].rfind(kNatPublic, 0) == 0u;
  }
  BOOST_TEST(fromNat >= 20u);  // c-to-a, translated by the NAT
  // No ESP (protocol 50) to or from the NAT; worker-0 and worker-1 keep plain ESP.
  BOOST_TEST(Tshark(c, outside, std::string("-Y 'ip.proto == 50 && ip.addr == ") + kNatPublic + "'")
                 .empty());
  BOOST_TEST(Tshark(c, outside, "-Y 'ip.proto == 50 && ip.dst == 10.0.0.11'").size() == 20u);
  // The node behind the NAT sees the same traffic from its private address.
  BOOST_TEST(Tshark(c, c.Pcap("worker-2"), "-Y 'ip.proto == 50'").empty());
  BOOST_TEST(
      Tshark(c, c.Pcap("worker-2"), "-Y 'esp && ip.src == 10.0.0.12 && udp.port == 4500'").size() >=
      20u);
}

BOOST_AUTO_TEST_CASE(ike_after_the_float_carries_the_non_esp_marker_and_decrypts) {
  const Capture c = RunWithPcap("nat-natt.yaml");
  const std::string outside = c.Pcap("worker-0");
  const auto frames = Tshark(c, outside, "-Y 'udp.port == 4500 && isakmp'");
  BOOST_TEST(frames.size() == 4u);  // worker-2's two IKE SAs with worker-0: IKE_AUTH both ways
  const auto detail = Tshark(c, outside, "-V -Y 'udp.port == 4500 && isakmp'");
  BOOST_TEST(Count(detail, "Non-ESP Marker") == frames.size());
  BOOST_TEST(Count(detail, "Exchange type: IKE_AUTH (35)") == 4u);
  BOOST_TEST(Count(detail, "(16 bytes)[correct]") == 4u);
  BOOST_TEST(Count(detail, "[incorrect") == 0u);
  // IKE_SA_INIT went to UDP 500 first, from the NAT's public address.
  BOOST_TEST(Tshark(c, outside,
                    std::string("-Y 'udp.port == 500 && isakmp.exchangetype == 34 && ip.src == ") +
                        kNatPublic + "'")
                 .size() == 2u);
}

BOOST_AUTO_TEST_CASE(keepalives_every_20_seconds_from_the_node_behind_the_nat) {
  const Capture c = RunWithPcap("nat-natt.yaml");
  std::map<std::string, std::vector<double>> sent;  // peer -> times
  for (const std::string& line :
       Tshark(c, c.Pcap("worker-2"),
              "-Y 'udp.srcport == 4500 && udp.length == 9 && ip.src == 10.0.0.12' -T fields "
              "-e frame.time_relative -e ip.dst -e data")) {
    const auto f = Fields(line);
    BOOST_REQUIRE(f.size() >= 2u);
    sent[f[1]].push_back(std::stod(f[0]));
  }
  // One keepalive per floated IKE SA (two per peer), first 20 s after the
  // float (the SAs come up within 0.1 s), then every 20 s; the run ends at 48 s.
  BOOST_REQUIRE(sent.size() == 2u);
  for (const auto& [peer, times] : sent) {
    BOOST_TEST_CONTEXT(peer) {
      BOOST_REQUIRE(times.size() == 4u);
      for (size_t i = 0; i < 2; ++i) {
        BOOST_TEST(times[i] > 20.0);
        BOOST_TEST(times[i] < 20.1);
        BOOST_TEST(times[i + 2] - times[i] == 20.0, boost::test_tools::tolerance(1e-6));
      }
    }
  }
  // On the outside they arrive from the NAT's public address.
  BOOST_TEST(Tshark(c, c.Pcap("worker-0"),
                    std::string("-Y 'udp.length == 9 && ip.src == ") + kNatPublic + "'")
                 .size() == 4u);
}

BOOST_AUTO_TEST_CASE(without_keepalives_the_late_traffic_stops_at_the_nat) {
  const Capture c = RunWithPcap("nat-keepalive-off.yaml");
  BOOST_TEST(Tshark(c, c.Pcap("worker-1"), "-Y 'udp.length == 9'").empty());
  // worker-0 sends its late flow to the NAT as ESP in UDP 4500 ...
  BOOST_TEST(
      Tshark(c, c.Pcap("worker-0"),
             std::string("-Y 'frame.time_relative > 44 && esp && ip.dst == ") + kNatPublic + "'")
          .size() == 10u);
  // ... and nothing of it reaches worker-1; the early flow did, the other way.
  BOOST_TEST(Tshark(c, c.Pcap("worker-1"), "-Y 'frame.time_relative > 44 && esp'").empty());
  BOOST_TEST(Tshark(c, c.Pcap("worker-1"), "-Y 'esp && ip.src == 10.0.0.11'").size() == 10u);
}

BOOST_AUTO_TEST_SUITE_END()
