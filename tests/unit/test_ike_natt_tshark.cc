// tshark reads the run's esp_sa and ikev2_decryption_table from
// $HOME/.config/wireshark/ and dissects the UDP 4500 frames of a forced
// encapsulation run: ESP in UDP that decrypts, IKE behind the non-ESP marker.
#include <boost/test/unit_test.hpp>

#include "run_command.h"
#include "test_ike_natt_world.h"

using namespace ike_natt_test;

namespace {

size_t Occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

std::string Tshark(const std::string& home, const std::string& pcap, const std::string& args) {
  return ipsecsim::test::RunCommand("HOME=" + home + " tshark -r " + pcap +
                                    " -o esp.enable_encryption_decode:TRUE " + args +
                                    " 2>/dev/null")
      .output;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_natt_tshark)

BOOST_AUTO_TEST_CASE(tshark_decrypts_udp_encapsulated_esp_and_marked_ike) {
  const std::string dir = ipsecsim::test::MakeTempDir("ike-natt-tshark");
  const std::string home = dir + "/home";
  {
    WorldOptions options;
    options.forceEncapsulation = true;
    options.pcapPrefix = dir + "/natt";
    NattWorld w(options);
    for (int i = 0; i < 3; ++i) w.SendFromA(1.0 + 0.1 * i);
    w.SendFromB(2.0);
    w.Run(ns3::Seconds(3));
    BOOST_REQUIRE(w.atB.packets == 3u && w.atA.packets == 1u);
    BOOST_REQUIRE(w.keys.ike.Write(home + "/.config/wireshark/ikev2_decryption_table"));
    BOOST_REQUIRE(w.keys.esp.Write(home + "/.config/wireshark/esp_sa"));
  }
  const std::string pcap = dir + "/natt-0-0.pcap";

  // Every ESP frame is UDP 4500 encapsulated and opens to the service's UDP.
  const std::string esp = Tshark(home, pcap,
                                 "-Y 'udp.port == 4500 && esp' -T fields -e "
                                 "udp.srcport -e udp.dstport -e ip.proto -e esp.spi");
  // Fields: outer,inner UDP source port; outer,inner destination port; IP protocol.
  BOOST_TEST(Occurrences(esp, "4500,7000\t4500,5001\t17\t0x") == 3u, esp);
  BOOST_TEST(Occurrences(esp, "4500,5001\t4500,7000\t17\t0x") == 1u, esp);
  const std::string inner =
      Tshark(home, pcap,
             "-Y 'esp && udp.port == " + std::to_string(kServicePort) + "' -T fields -e esp.spi");
  BOOST_TEST(Occurrences(inner, "0x") == 4u, inner);
  BOOST_TEST(Tshark(home, pcap, "-Y 'ip.proto == 50'").empty());
  // Negative control: without the run's files nothing inside the ESP shows.
  const std::string opaque =
      Tshark(dir + "/nohome", pcap,
             "-Y 'esp && udp.port == " + std::to_string(kServicePort) + "' -T fields -e esp.spi");
  BOOST_TEST(Occurrences(opaque, "0x") == 0u, opaque);

  // IKE after the float: on 4500 behind the non-ESP marker, decrypted.
  const std::string ike = Tshark(home, pcap, "-V -Y 'udp.port == 4500 && isakmp'");
  BOOST_TEST(Occurrences(ike, "Non-ESP Marker") == 2u, ike.substr(0, 3000));
  BOOST_TEST(Occurrences(ike, "Exchange type: IKE_AUTH (35)") == 2u);
  BOOST_TEST(Occurrences(ike, " (16 bytes)[correct]") == 2u);
  BOOST_TEST(ike.find("ID_FQDN: system-a") != std::string::npos);
  BOOST_TEST(Occurrences(Tshark(home, pcap, "-V -Y 'udp.port == 500 && isakmp'"),
                         "Exchange type: IKE_SA_INIT (34)") == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
