// Runs the two-hosts example and checks its captures with tshark and the key
// file the run wrote: every ESP packet decrypts with a good ICV, the inner
// packets are the protected flows, and none of those flows is seen in clear.
#include <array>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Frame {
  std::string proto, mf, spi, icvGood, udpSrc, udpDst, tcpSrc, tcpDst, icmpType;
};

std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  BOOST_REQUIRE_EQUAL(pclose(pipe), 0);
  return out;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!s.empty() && s.back() == sep) parts.emplace_back();
  return parts;
}

bool HasPort(const std::string& field, const std::string& port) {
  for (const auto& p : Split(field, ',')) {
    if (p == port) return true;
  }
  return false;
}

fs::path RunExample(const std::string& name, const std::string& flags) {
  const fs::path dir = fs::temp_directory_path() / ("ipsecsim-xfrm-tshark-" + name);
  fs::remove_all(dir);
  Run(std::string(XFRM_TWO_HOSTS_EXE) + " --out " + dir.string() + " " + flags + " > " +
      (dir.string() + ".log"));
  return dir;
}

std::vector<Frame> Dissect(const fs::path& dir) {
  std::string keys;
  std::ifstream uat(dir / "keys" / "esp_sa");
  for (std::string line; std::getline(uat, line);) keys += " -o 'uat:esp_sa:" + line + "'";
  std::vector<Frame> frames;
  for (const auto& pcap : fs::directory_iterator(dir / "pcap")) {
    const std::string out = Run(
        "tshark -r " + pcap.path().string() +
        " -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE" + keys +
        " -T fields -E separator='|' -e ip.proto -e ip.flags.mf -e esp.spi -e esp.icv_good"
        " -e udp.srcport -e udp.dstport -e tcp.srcport -e tcp.dstport -e icmp.type 2>/dev/null");
    for (const auto& line : Split(out, '\n')) {
      if (line.empty()) continue;
      auto f = Split(line, '|');
      BOOST_REQUIRE_EQUAL(f.size(), 9u);
      frames.push_back({f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]});
    }
  }
  return frames;
}

struct Tally {
  int espFrames = 0, nonFinalFragments = 0, badIcv = 0;
  int innerUdp5001 = 0, innerTcp5004 = 0, innerIcmp = 0, innerOther = 0;
  int clearBypass = 0, clearProtectedFlow = 0, clearOther = 0;
};

Tally Classify(const std::vector<Frame>& frames) {
  Tally t;
  for (const Frame& f : frames) {
    if (f.mf == "1" && f.spi.empty() && f.udpSrc.empty() && f.tcpSrc.empty()) {
      ++t.nonFinalFragments;  // tshark dissects the datagram in its last fragment
      continue;
    }
    const bool encapsulated =
        f.proto == "17" && HasPort(f.udpSrc, "4500") && HasPort(f.udpDst, "4500");
    if (f.proto == "50" || encapsulated) {
      ++t.espFrames;
      if (f.icvGood != "1") ++t.badIcv;
      if (HasPort(f.udpSrc, "5001") || HasPort(f.udpDst, "5001")) {
        ++t.innerUdp5001;
      } else if (HasPort(f.tcpSrc, "5004") || HasPort(f.tcpDst, "5004")) {
        ++t.innerTcp5004;
      } else if (f.icmpType == "8" || f.icmpType == "0") {
        ++t.innerIcmp;
      } else {
        ++t.innerOther;
      }
      continue;
    }
    if (f.proto == "17" && (f.udpDst == "5002" || f.udpSrc == "5002")) {
      ++t.clearBypass;
    } else if (f.proto == "6" || f.proto == "1" || HasPort(f.udpDst, "5001") ||
               HasPort(f.udpSrc, "5001") || HasPort(f.udpDst, "5003")) {
      ++t.clearProtectedFlow;
    } else {
      ++t.clearOther;
    }
  }
  return t;
}

void CheckEncrypted(const Tally& t) {
  BOOST_TEST(t.espFrames > 100);
  BOOST_TEST(t.badIcv == 0);
  BOOST_TEST(t.innerUdp5001 == 2 * 10);  // 5 echoes + 5 replies, two pcaps (one per end)
  BOOST_TEST(t.innerIcmp == 2 * 10);
  BOOST_TEST(t.innerTcp5004 > 2 * 300);  // 200 kB in 536-byte segments, plus ACKs
  BOOST_TEST(t.innerOther == 0);
  BOOST_TEST(t.nonFinalFragments == 2 * 20);  // 3000-byte datagrams: 3 fragments each
  BOOST_TEST(t.clearProtectedFlow == 0);
  BOOST_TEST(t.clearBypass == 2 * 10);
  BOOST_TEST(t.clearOther == 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xfrm_tshark)

BOOST_AUTO_TEST_CASE(esp_captures_decrypt_with_the_written_keys) {
  CheckEncrypted(Classify(Dissect(RunExample("esp", ""))));
}

BOOST_AUTO_TEST_CASE(esp_in_udp_captures_decrypt_with_the_written_keys) {
  CheckEncrypted(Classify(Dissect(RunExample("encap", "--encap"))));
}

// Tunnel mode: tshark lists the outer and the inner header's protocol
// ("50,17"); every frame is ESP with a good ICV, and the flows all arrive.
BOOST_AUTO_TEST_CASE(tunnel_mode_captures_decrypt_with_the_written_keys) {
  for (const std::string flags : {"--tunnel", "--tunnel --encap"}) {
    const fs::path dir = RunExample(flags == "--tunnel" ? "tunnel" : "tunnel-encap", flags);
    std::ifstream log(dir.string() + ".log");
    const std::string out((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    BOOST_TEST(out.find("replies 5/5") != std::string::npos, out);
    BOOST_TEST(out.find("200000/200000 bytes") != std::string::npos, out);
    BOOST_TEST(out.find("5/5 replies") != std::string::npos, out);
    int esp = 0, badIcv = 0, innerTcp = 0, clearProtected = 0;
    for (const Frame& f : Dissect(dir)) {
      const bool outerEsp = f.proto.rfind("50,", 0) == 0 || f.proto.rfind("17,", 0) == 0;
      if (outerEsp && !f.spi.empty()) {
        ++esp;
        badIcv += f.icvGood != "1";
        innerTcp += HasPort(f.tcpDst, "5004") || HasPort(f.tcpSrc, "5004");
      } else if (f.proto == "6" || f.proto == "1" || HasPort(f.udpDst, "5001")) {
        ++clearProtected;
      }
    }
    BOOST_TEST(esp > 2 * 300, flags);
    BOOST_TEST(badIcv == 0, flags);
    BOOST_TEST(innerTcp > 2 * 300, flags);
    BOOST_TEST(clearProtected == 0, flags);
  }
}

BOOST_AUTO_TEST_CASE(negative_control_shows_the_flows_in_clear) {
  const Tally t = Classify(Dissect(RunExample("clear", "--ipsec=false")));
  BOOST_TEST(t.espFrames == 0);
  BOOST_TEST(t.clearProtectedFlow > 2 * 300);  // the detector fires when IPsec is off
}

BOOST_AUTO_TEST_SUITE_END()
