// The captures of `ipsecsim run --pcap` read like tcpdump's on a Linux NIC:
// Ethernet frames that end where their IP packet ends, with no FCS trailer.
// The documented recipe, WIRESHARK_CONFIG_DIR=DIR/keys, decrypts them in
// tshark and leaves the user's own Wireshark profile alone. An ESP packet
// cut from a frame up to its end decrypts with `ipsecsim esp decrypt`; with
// an FCS left on, the failure says how many bytes are too many.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "run_command.h"

namespace fs = std::filesystem;
using ipsecsim::test::RunCommand;

namespace {

using Frame = std::vector<uint8_t>;

// The frames of a little-endian microsecond pcap file, as ns-3 writes it.
std::vector<Frame> ReadPcap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u32 = [&](size_t at) {
    return uint32_t(uint8_t(bytes[at])) | uint32_t(uint8_t(bytes[at + 1])) << 8 |
           uint32_t(uint8_t(bytes[at + 2])) << 16 | uint32_t(uint8_t(bytes[at + 3])) << 24;
  };
  BOOST_REQUIRE(bytes.size() >= 24);
  BOOST_REQUIRE_EQUAL(u32(0), 0xa1b2c3d4u);
  BOOST_REQUIRE_EQUAL(u32(20), 1u);  // LINKTYPE_ETHERNET
  std::vector<Frame> frames;
  for (size_t at = 24; at + 16 <= bytes.size();) {
    const uint32_t length = u32(at + 8);
    BOOST_REQUIRE_EQUAL(length, u32(at + 12));  // never cut by the snap length
    BOOST_REQUIRE(at + 16 + length <= bytes.size());
    frames.emplace_back(bytes.begin() + long(at + 16), bytes.begin() + long(at + 16 + length));
    at += 16 + length;
  }
  return frames;
}

bool IsIpv4(const Frame& f) { return f.size() >= 34 && f[12] == 0x08 && f[13] == 0x00; }
size_t IpTotalLength(const Frame& f) { return size_t(f[16]) << 8 | f[17]; }

std::string Hex(const uint8_t* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[data[i] >> 4];
    s += kDigits[data[i] & 15];
  }
  return s;
}

// The keymat of an SPI in DIR/keys/esp_sa ("IPv4","src","dst","0xSPI",alg,"0xKEY",...).
std::string KeymatOf(const std::string& espSa, const std::string& spi) {
  std::ifstream in(espSa);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream f(line);
    for (std::string field; std::getline(f, field, ',');)
      fields.push_back(field.substr(1, field.size() - 2));
    if (fields.size() == 8 && fields[3] == "0x" + spi) return fields[5];
  }
  return "";
}

struct Run {
  std::string dir;
  std::string pcap;
};

// One run for every case: it is the same capture.
const Run& RunWithPcap() {
  static const Run run = [] {
    Run r;
    const std::string out = ipsecsim::test::MakeTempDir("capture-recipe");
    auto done = RunCommand(ipsecsim::test::IpsecsimBinary() +
                           " run scenarios/mtu-ipsec-1500-reduced.yaml --out " + out +
                           " --pcap > /dev/null");
    BOOST_REQUIRE_EQUAL(done.exitCode, 0);
    r.dir = out + "/mtu-ipsec-1500-reduced";
    r.pcap = r.dir + "/pcap/worker-0-eth0.pcap";
    return r;
  }();
  return run;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(capture_recipe)

BOOST_AUTO_TEST_CASE(frames_end_where_their_ip_packet_ends) {
  const Run& run = RunWithPcap();
  size_t checked = 0;
  for (const Frame& f : ReadPcap(run.pcap)) {
    if (!IsIpv4(f)) continue;
    // Ethernet pads a frame to 60 bytes; no IP packet here is that small.
    BOOST_TEST(f.size() == IpTotalLength(f) + 14);
    ++checked;
  }
  BOOST_TEST(checked > 100u);
}

BOOST_AUTO_TEST_CASE(the_documented_recipe_decrypts_and_leaves_the_users_profile_alone) {
  const Run& run = RunWithPcap();
  const std::string home = run.dir + "/home";
  fs::create_directories(home);
  // As documented: the run's keys folder is the Wireshark configuration folder.
  auto r = RunCommand("HOME=" + home + " WIRESHARK_CONFIG_DIR=" + run.dir + "/keys tshark -r " +
                      run.pcap +
                      " -Y esp -T fields -E separator=/t -e frame.len -e ip.len -e esp.icv_good "
                      "-e udp.dstport 2>/dev/null");
  BOOST_REQUIRE_EQUAL(r.exitCode, 0);
  size_t esp = 0;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line); ++esp) {
    BOOST_TEST_CONTEXT(line) {
      std::istringstream f(line);
      std::string frameLen, ipLen, icv, ports;
      std::getline(f, frameLen, '\t');
      std::getline(f, ipLen, '\t');
      std::getline(f, icv, '\t');
      std::getline(f, ports, '\t');
      // The outer IPv4 header's total length (then the pod's, decrypted).
      BOOST_TEST(std::stoul(frameLen) == std::stoul(ipLen.substr(0, ipLen.find(','))) + 14);
      BOOST_TEST(icv == "1");
      BOOST_TEST(ports.find("6081") != std::string::npos);  // Geneve, decrypted
    }
  }
  BOOST_TEST(esp > 100u);
  BOOST_TEST(!fs::exists(home + "/.config"));
}

BOOST_AUTO_TEST_CASE(an_esp_packet_cut_to_the_frames_end_decrypts_with_the_cli) {
  const Run& run = RunWithPcap();
  for (const Frame& f : ReadPcap(run.pcap)) {
    if (!IsIpv4(f) || f[23] != 50) continue;  // the first ESP frame
    const size_t esp = 14 + size_t(f[14] & 15) * 4;
    const std::string spi = Hex(&f[esp], 4);
    const std::string keymat = KeymatOf(run.dir + "/keys/esp_sa", spi);
    BOOST_REQUIRE(!keymat.empty());
    const std::string decrypt = ipsecsim::test::IpsecsimBinary() + " esp decrypt --spi 0x" + spi +
                                " --keymat " + keymat + " --packet ";
    const std::string packet = Hex(&f[esp], f.size() - esp);
    auto ok = RunCommand(decrypt + packet + " 2>&1");
    BOOST_TEST(ok.exitCode == 0);
    BOOST_TEST(ok.output.rfind("next-header 17 payload ", 0) == 0u, ok.output);  // Geneve in UDP
    // A user who copies an FCS along is told so.
    auto fcs = RunCommand(decrypt + packet + "00000000 2>&1");
    BOOST_TEST(fcs.exitCode == 1);
    BOOST_TEST(fcs.output.find("ICV mismatch") != std::string::npos, fcs.output);
    BOOST_TEST(fcs.output.find("without its last 4 bytes") != std::string::npos, fcs.output);
    // Any other corruption gets the general advice.
    std::string flipped = packet;
    flipped[40] = flipped[40] == '0' ? '1' : '0';
    auto bad = RunCommand(decrypt + flipped + " 2>&1");
    BOOST_TEST(bad.exitCode == 1);
    BOOST_TEST(bad.output.find("from the SPI to the ICV") != std::string::npos, bad.output);
    return;
  }
  BOOST_FAIL("no ESP frame in " + run.pcap);
}

BOOST_AUTO_TEST_SUITE_END()
