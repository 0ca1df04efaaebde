// tshark as an independent oracle: ESP made by the codec, written to a pcap,
// must decrypt in Wireshark's ESP dissector with a good ICV and give back the
// exact inner UDP payload that was sent.
#include <ns3/ipv4-header.h>
#include <ns3/packet.h>
#include <ns3/pcap-file.h>
#include <ns3/udp-header.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <sstream>

#include "esp_sa.h"
#include "run_command.h"

using namespace ipsecsim;

namespace {

constexpr uint32_t kSpi = 0xc0ffee01;
const char* kKeymat = "6d2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f801020304";

// One IPv4 packet carrying ESP whose payload is a UDP datagram.
std::vector<uint8_t> EspFrame(esp::OutboundSa& sa, const Bytes& udpPayload) {
  ns3::Ptr<ns3::Packet> inner = ns3::Create<ns3::Packet>(udpPayload.data(), udpPayload.size());
  ns3::UdpHeader udp;
  udp.SetSourcePort(40001);
  udp.SetDestinationPort(40002);
  inner->AddHeader(udp);
  Bytes l4(inner->GetSize());
  inner->CopyData(l4.data(), l4.size());
  Bytes espBytes = *sa.Protect(17, l4.data(), l4.size());

  ns3::Ptr<ns3::Packet> pkt = ns3::Create<ns3::Packet>(espBytes.data(), espBytes.size());
  ns3::Ipv4Header ip;
  ip.SetSource(ns3::Ipv4Address("192.0.2.1"));
  ip.SetDestination(ns3::Ipv4Address("192.0.2.2"));
  ip.SetProtocol(50);
  ip.SetTtl(64);
  ip.SetPayloadSize(espBytes.size());
  ip.EnableChecksum();
  pkt->AddHeader(ip);
  std::vector<uint8_t> out(pkt->GetSize());
  pkt->CopyData(out.data(), out.size());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(esp_tshark)

BOOST_AUTO_TEST_CASE(tshark_decrypts_every_frame_with_a_good_icv) {
  esp::SaConfig cfg;
  cfg.spi = kSpi;
  cfg.keymat = *ParseHex(kKeymat);
  auto sa = esp::OutboundSa::Create(cfg, nullptr);
  BOOST_REQUIRE(sa);

  const std::string dir = test::MakeTempDir("esp-tshark");
  const std::string pcap = dir + "/esp.pcap";
  ns3::PcapFile file;
  file.Open(pcap, std::ios::out);
  file.Init(101 /* LINKTYPE_RAW: raw IP */);
  std::vector<Bytes> sent;
  for (size_t n : {1, 2, 3, 4, 5, 63, 64, 100, 511, 1000, 1400}) {
    Bytes payload(n);
    for (size_t i = 0; i < n; ++i) payload[i] = uint8_t(i * 7 + n);
    sent.push_back(payload);
    auto frame = EspFrame(*sa, payload);
    file.Write(uint32_t(sent.size()), 0, frame.data(), frame.size());
  }
  file.Close();

  // The oracle must be able to say no: a key with one wrong bit fails every frame.
  std::string wrongKey = kKeymat;
  wrongKey[0] = wrongKey[0] == '6' ? '7' : '6';
  std::ostringstream neg;
  neg << "tshark -r " << pcap
      << " -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE"
      << " -o 'uat:esp_sa:\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x" << std::hex << kSpi
      << "\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x" << wrongKey << "\",\"NULL\",\"\"'"
      << " -T fields -e esp.icv_good 2>/dev/null";
  auto bad = test::RunCommand(neg.str());
  BOOST_TEST(bad.output.find('1') == std::string::npos, "wrong key accepted: " << bad.output);
  BOOST_TEST(std::count(bad.output.begin(), bad.output.end(), '\n') == long(sent.size()));

  std::ostringstream cmd;
  cmd << "tshark -r " << pcap
      << " -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE"
      << " -o 'uat:esp_sa:\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x" << std::hex << kSpi
      << "\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x" << kKeymat << "\",\"NULL\",\"\"'"
      << " -T fields -E separator=/t -e esp.sequence -e esp.icv_good -e udp.dstport -e data.data"
      << " 2>/dev/null";
  auto r = test::RunCommand(cmd.str());
  BOOST_REQUIRE_EQUAL(r.exitCode, 0);
  std::istringstream lines(r.output);
  std::string line;
  size_t frame = 0;
  while (std::getline(lines, line)) {
    BOOST_REQUIRE_LT(frame, sent.size());
    std::istringstream fields(line);
    std::string seq, icvGood, port, data;
    std::getline(fields, seq, '\t');
    std::getline(fields, icvGood, '\t');
    std::getline(fields, port, '\t');
    std::getline(fields, data, '\t');
    BOOST_TEST_CONTEXT("frame " << frame + 1) {
      BOOST_TEST(seq == std::to_string(frame + 1));
      BOOST_TEST((icvGood == "1" || icvGood == "True"));
      BOOST_TEST(port == "40002");
      BOOST_TEST(data == ToHex(sent[frame]));
    }
    ++frame;
  }
  BOOST_TEST(frame == sent.size());
}

BOOST_AUTO_TEST_SUITE_END()
