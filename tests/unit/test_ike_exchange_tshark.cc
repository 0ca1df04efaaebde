// tshark decrypts the run's IKE_AUTH messages with the
// ikev2_decryption_table ipsecsim writes (read from
// $HOME/.config/wireshark/), checks their integrity and shows the FQDN
// identities; with the esp_sa file the ESP packets decrypt too.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "run_command.h"
#include "test_ike_exchange_world.h"

using namespace ike_exchange_test;

namespace {

size_t Occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

std::string EspSaOptions(const std::string& path) {
  std::ifstream in(path);
  std::string line, options;
  while (std::getline(in, line)) options += " -o 'uat:esp_sa:" + line + "'";
  return options;
}

struct Capture {
  std::string dir;
  std::string pcap;
  std::string home;
};

Capture RunAndCapture() {
  Capture c;
  c.dir = ipsecsim::test::MakeTempDir("ike-tshark");
  c.home = c.dir + "/home";
  {
    IkeWorld w(c.dir + "/ike");
    w.ConfigureDefault();
    w.Load();
    auto& atB = w.UdpSink(1, kServicePort, /*echo=*/true);
    w.UdpSend(0, kReplyPort, kServicePort, 3, ns3::Seconds(1));
    w.Run(ns3::Seconds(3));
    BOOST_REQUIRE_EQUAL(atB.packets, 3u);
    BOOST_REQUIRE(w.keys.ike.Write(c.home + "/.config/wireshark/ikev2_decryption_table"));
    BOOST_REQUIRE(w.keys.esp.Write(c.dir + "/esp_sa"));
  }
  c.pcap = c.dir + "/ike-0-0.pcap";
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_exchange_tshark)

BOOST_AUTO_TEST_CASE(tshark_decrypts_ike_auth_and_esp_with_the_written_keys) {
  const Capture c = RunAndCapture();
  const std::string table = c.home + "/.config/wireshark/ikev2_decryption_table";
  std::ifstream tableFile(table);
  std::string line;
  BOOST_REQUIRE(std::getline(tableFile, line));
  BOOST_TEST_MESSAGE("ikev2_decryption_table: " << line);
  // 16 + 16 hex digits of SPIs, 72 of key || salt each.
  BOOST_TEST(line.find(",\"AES-GCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"") ==
             16 + 1 + 16 + 1 + 72 + 1 + 72);

  const auto ike =
      ipsecsim::test::RunCommand("HOME=" + c.home + " tshark -r " + c.pcap + " -V -Y isakmp 2>&1");
  BOOST_REQUIRE_EQUAL(ike.exitCode, 0);
  BOOST_TEST(Occurrences(ike.output, "Exchange type: IKE_AUTH (35)") == 2u);
  // Both SK payloads decrypted, the ICV checked.
  BOOST_TEST(Occurrences(ike.output, "Decrypted Data (") == 2u);
  BOOST_TEST(Occurrences(ike.output, "Integrity Checksum Data: ") == 2u);
  BOOST_TEST(Occurrences(ike.output, " (16 bytes)[correct]") == 2u, ike.output.substr(0, 4000));
  BOOST_TEST(Occurrences(ike.output, "[incorrect") == 0u);
  BOOST_TEST(ike.output.find("ID_FQDN: system-a") != std::string::npos);
  BOOST_TEST(ike.output.find("ID_FQDN: system-b") != std::string::npos);
  BOOST_TEST(ike.output.find("USE_TRANSPORT_MODE") != std::string::npos);

  // Negative control: without the table the identities stay hidden.
  const auto hidden = ipsecsim::test::RunCommand("HOME=" + c.dir + "/nohome tshark -r " + c.pcap +
                                                 " -V -Y isakmp 2>&1");
  BOOST_TEST(hidden.output.find("ID_FQDN: system-a") == std::string::npos);

  const std::string espOptions =
      " -o esp.enable_encryption_decode:TRUE" + EspSaOptions(c.dir + "/esp_sa");
  const auto esp = ipsecsim::test::RunCommand(
      "HOME=" + c.home + " tshark -r " + c.pcap + espOptions +
      " -Y 'esp && udp.dstport == " + std::to_string(kServicePort) + "' -T fields -e esp.spi 2>&1");
  BOOST_REQUIRE_EQUAL(esp.exitCode, 0);
  BOOST_TEST(Occurrences(esp.output, "0x") == 3u, esp.output);
  // Negative control: without the keys tshark sees no UDP inside the ESP.
  const auto opaque = ipsecsim::test::RunCommand(
      "HOME=" + c.home + " tshark -r " + c.pcap +
      " -Y 'esp && udp.dstport == " + std::to_string(kServicePort) + "' -T fields -e esp.spi 2>&1");
  BOOST_TEST(Occurrences(opaque.output, "0x") == 0u, opaque.output);
  BOOST_TEST(ipsecsim::test::RunCommand("tshark -r " + c.pcap + " -Y esp 2>&1 | grep -c ESP")
                 .output.substr(0, 1) == "6");  // 3 datagrams and 3 echoes
}

BOOST_AUTO_TEST_SUITE_END()
