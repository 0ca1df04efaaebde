// tshark, an independent reader, checks that reference captures look like a
// Linux node's: every IPv4, UDP, TCP and ICMP checksum verifies, nothing is
// worse than a "note" in Wireshark's expert info, ESP sequence numbers have
// no gaps, SYNs carry the MSS of the route's MTU and TCP segments carry DF.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <set>
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
  const std::string parent = test::MakeTempDir("wire-tshark");
  auto r = test::RunCommand(test::IpsecsimBinary() + " run scenarios/" + scenario + " --out " +
                            parent + " --pcap > /dev/null");
  // Each reference scenario is named after its file: DIR/<name>/.
  c.dir = parent + "/" + fs::path(scenario).stem().string();
  BOOST_REQUIRE(r.exitCode == 0 || r.exitCode == 1);  // 1: an expectation failed
  fs::create_directories(c.dir + "/home/.config/wireshark");
  fs::copy_file(c.dir + "/keys/esp_sa", c.dir + "/home/.config/wireshark/esp_sa");
  if (fs::exists(c.dir + "/keys/ikev2_decryption_table")) {
    fs::copy_file(c.dir + "/keys/ikev2_decryption_table",
                  c.dir + "/home/.config/wireshark/ikev2_decryption_table");
  }
  for (auto& e : fs::directory_iterator(c.dir + "/pcap")) c.pcaps.push_back(e.path());
  BOOST_REQUIRE(!c.pcaps.empty());
  return c;
}

// nat-natt is not among them: behind a NAPT the decrypted inner UDP/TCP
// checksum covers the pre-NAT address, so tshark flags it on the far side,
// as it would on a real capture (Linux accepts it: esp_input_done2).
// Checksum validation on for every protocol; TCP sequence analysis off: a
// segment the tunnel refused before it reached the wire is a real gap, which
// Wireshark would flag as "previous segment not captured" on a real node too.
const std::string kValidate =
    "-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE "
    "-o tcp.analyze_sequence_numbers:FALSE -o esp.do_esp_sequence_analysis:TRUE ";

std::vector<std::string> Tshark(const Capture& c, const std::string& pcap,
                                const std::string& args) {
  return test::TsharkLines(c.dir + "/home", pcap, kValidate + args);
}

void ExpectCleanCapture(const std::string& scenario) {
  const Capture c = RunWithPcap(scenario);
  for (const std::string& pcap : c.pcaps) {
    BOOST_TEST_CONTEXT(scenario << " " << pcap) {
      BOOST_TEST(Tshark(c, pcap,
                        "-Y 'ip.checksum.status == 0 || udp.checksum.status == 0 || "
                        "tcp.checksum.status == 0 || icmp.checksum.status == 0 || "
                        "icmpv6.checksum.status == 0' -T fields -e frame.number")
                     .empty());
      // Expert severities: note 0x400000, warning 0x600000, error 0x800000.
      const auto worse = Tshark(c, pcap,
                                "-Y '_ws.expert.severity > 0x400000' -T fields -e frame.number "
                                "-e _ws.expert.message");
      BOOST_TEST(worse.empty(), worse.size() << " frames above note, first: "
                                             << (worse.empty() ? "" : worse.front()));
      // Checksums are present, not merely unverified.
      const auto zeroIp = Tshark(c, pcap, "-Y 'ip.checksum == 0' -T fields -e frame.number");
      BOOST_TEST(zeroIp.empty());
      // UDP without a checksum is only ESP in UDP over IPv4 (RFC 3948 §3.1.2).
      const auto zeroUdp =
          Tshark(c, pcap, "-Y 'udp.checksum == 0 && !esp' -T fields -e frame.number");
      BOOST_TEST(zeroUdp.empty(), zeroUdp.size() << " UDP datagrams without a checksum");
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wire_tshark)

BOOST_AUTO_TEST_CASE(flow_matrix_captures_have_good_checksums_and_nothing_above_note) {
  ExpectCleanCapture("flow-matrix.yaml");
}

BOOST_AUTO_TEST_CASE(ipv6_flow_matrix_captures_have_good_checksums_and_nothing_above_note) {
  ExpectCleanCapture("flow-matrix-ipv6.yaml");
}

// The tunnel refuses the one datagram that does not fit before ESP, so no
// sequence number is skipped (dropping after ESP left 19 gaps per capture).
BOOST_AUTO_TEST_CASE(the_9001_natt_capture_has_no_esp_sequence_gap) {
  ExpectCleanCapture("mtu-natt-9001-unreduced.yaml");
  const Capture c = RunWithPcap("mtu-natt-9001-unreduced.yaml");
  size_t esp = 0;
  for (const std::string& pcap : c.pcaps) {
    BOOST_TEST(Tshark(c, pcap, "-Y esp.sequence-analysis.wrong-sequence-number").empty());
    esp += Tshark(c, pcap, "-Y esp -T fields -e esp.sequence").size();
  }
  BOOST_TEST(esp > 100u);
}

BOOST_AUTO_TEST_CASE(syns_carry_the_route_mss_and_segments_carry_df) {
  const Capture c = RunWithPcap("flow-matrix.yaml");
  std::set<std::string> mss;
  size_t segments = 0;
  for (const std::string& pcap : c.pcaps) {
    for (const std::string& line :
         Tshark(c, pcap, "-Y 'tcp.flags.syn == 1' -T fields -e tcp.options.mss_val")) {
      // Decrypted Geneve shows the inner segment; the last value is the pod's.
      mss.insert(line.substr(line.rfind(',') + 1));
    }
    for (const std::string& line :
         Tshark(c, pcap, "-Y 'tcp && tcp.flags.syn == 0' -T fields -e ip.flags.df -e ip.len")) {
      ++segments;
      BOOST_TEST_CONTEXT(pcap << ": " << line) {
        // The innermost IPv4 header is the segment's own: DF set.
        const std::string df = line.substr(0, line.find('\t'));
        BOOST_TEST(df.back() == '1');
      }
    }
  }
  // flow-matrix: pod MTU 1354 (MSS 1314), host MTU 1500 (MSS 1460).
  BOOST_TEST(mss == (std::set<std::string>{"1314", "1460"}));
  BOOST_TEST(segments > 50u);
}

BOOST_AUTO_TEST_SUITE_END()
