// `ipsecsim esp` as a user runs it: vectors through the command line, and the
// exit codes for failed authentication (1) and bad arguments (2).
#include <boost/test/unit_test.hpp>
#include <tuple>

#include "gcm_vector_file.h"
#include "run_command.h"

using namespace ipsecsim;
using test::RunCommand;

namespace {
const std::string kCase3Keymat =
    "abbccddef00112233445566778899aababbccddef00112233445566778899aab11223344";
std::string Esp() { return test::IpsecsimBinary() + " esp "; }
}  // namespace

BOOST_AUTO_TEST_SUITE(cli_esp)

BOOST_AUTO_TEST_CASE(encrypt_and_decrypt_every_vector_through_the_cli) {
  for (auto& v : test::LoadGcmVectors()) {
    BOOST_TEST_CONTEXT(v.title) {
      const Bytes& pt = v.at("plaintext");
      const Bytes payload(pt.begin(), pt.end() - 2 - pt[pt.size() - 2]);
      const bool esn = v.at("seq").size() == 8;
      // Upper-case hex with 0x for the input: both forms are accepted.
      std::string keymat = "0X" + ToHex(v.at("KEYMAT"));
      for (auto& c : keymat) c = char(std::toupper(c));
      auto enc = RunCommand(Esp() + "encrypt --spi 0x" + ToHex(v.at("spi")) + " --keymat " +
                            keymat + " --seq 0x" + ToHex(v.at("seq")) + (esn ? " --esn" : "") +
                            " --iv " + ToHex(v.at("iv")) + " --next-header " +
                            std::to_string(pt.back()) + " --payload " + ToHex(payload));
      BOOST_TEST(enc.exitCode == 0);
      BOOST_TEST(enc.output == ToHex(v.at("esp_packet")) + "\n");

      std::string esnHigh = esn ? " --esn-high 0x" + ToHex(v.at("seq").data(), 4) : "";
      auto dec =
          RunCommand(Esp() + "decrypt --spi 0x" + ToHex(v.at("spi")) + " --keymat " +
                     ToHex(v.at("KEYMAT")) + " --packet " + ToHex(v.at("esp_packet")) + esnHigh);
      BOOST_TEST(dec.exitCode == 0);
      BOOST_TEST(dec.output ==
                 "next-header " + std::to_string(pt.back()) + " payload " + ToHex(payload) + "\n");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_flipped_icv_bit_exits_1_naming_the_failure) {
  auto v = test::LoadGcmVectors().at(2);
  Bytes pkt = v.at("esp_packet");
  pkt.back() ^= 0x01;
  auto r = RunCommand(Esp() + "decrypt --spi 0x4a2cbfe3 --keymat " + kCase3Keymat + " --packet " +
                      ToHex(pkt) + " 2>&1");
  BOOST_TEST(r.exitCode == 1);
  BOOST_TEST(r.output.find("ICV mismatch") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_arguments_exit_2_with_a_precise_message) {
  struct Case {
    std::string args, expect;
  };
  const std::vector<Case> cases = {
      {"encrypt --spi 1 --keymat 00 --seq 1 --iv 0001020304050607 --next-header 4 --payload 00",
       "--keymat: KEYMAT must be"},
      {"encrypt --spi 1 --keymat " + kCase3Keymat +
           " --seq 1 --iv 00010203 --next-header 4 --payload 00",
       "--iv: expected exactly 8 bytes"},
      {"encrypt --spi 1 --keymat " + kCase3Keymat +
           " --seq 0x100000000 --iv 0001020304050607 --next-header 4 --payload 00",
       "add --esn"},
      {"encrypt --spi 1 --keymat " + kCase3Keymat +
           " --seq 1 --iv 0001020304050607 --next-header 256 --payload 00",
       "--next-header: '256' is larger than the maximum 255"},
      {"encrypt --spi 0x1g --keymat " + kCase3Keymat +
           " --seq 1 --iv 0001020304050607 --next-header 4 --payload 00",
       "--spi: '0x1g' is not a number"},
      {"encrypt --spi 1 --keymat " + kCase3Keymat +
           " --seq 1 --iv 0001020304050607 --next-header 4 --payload abc",
       "--payload: expected hex bytes"},
      {"encrypt --spi 1 --keymat " + kCase3Keymat + " --seq 1 --next-header 4 --payload 00",
       "--iv is required"},
      {"decrypt --spi 1 --keymat " + kCase3Keymat + " --packet 00 --bogus", "--bogus"},
  };
  for (auto& c : cases) {
    BOOST_TEST_CONTEXT(c.args) {
      auto r = RunCommand(Esp() + c.args + " 2>&1");
      BOOST_TEST(r.exitCode == 2);
      BOOST_TEST(r.output.find(c.expect) != std::string::npos, "output: " << r.output);
    }
  }
}

// A 28-byte IPv4 packet 192.168.1.1 -> 192.168.2.1, UDP 49153 -> 7000, no data.
const std::string kInnerIpv4 =
    "4500001c0000400040110000c0a80101c0a80201"
    "c0011b5800080000";

BOOST_AUTO_TEST_CASE(tunnel_mode_carries_an_ip_packet_as_next_header_4_or_41) {
  const std::string inner6 =
      "6000000000081140"
      "fd000000000000000000000000000001"
      "fd000000000000000000000000000002"
      "c0011b5800080000";
  for (const auto& [packet, nh, text] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {kInnerIpv4, "4", "inner IPv4 192.168.1.1 > 192.168.2.1 protocol 17 length 28"},
           {inner6, "41", "inner IPv6 fd00::1 > fd00::2 protocol 17 length 48"}}) {
    auto enc = RunCommand(Esp() + "encrypt --mode tunnel --spi 0x1001 --keymat " + kCase3Keymat +
                          " --seq 1 --iv 0001020304050607 --payload " + packet);
    BOOST_REQUIRE_EQUAL(enc.exitCode, 0);
    const std::string esp = enc.output.substr(0, enc.output.size() - 1);
    // RFC 4303 byte arithmetic: 8 + 8 + packet + padding to 4 + 2 + ICV 16.
    const size_t len = packet.size() / 2;
    BOOST_TEST(esp.size() / 2 == 8 + 8 + len + (4 - (len + 2) % 4) % 4 + 2 + 16);
    auto dec = RunCommand(Esp() + "decrypt --mode tunnel --spi 0x1001 --keymat " + kCase3Keymat +
                          " --packet " + esp);
    BOOST_TEST(dec.exitCode == 0);
    BOOST_TEST(dec.output == "next-header " + nh + " payload " + packet + "\n" + text + "\n");
  }
}

BOOST_AUTO_TEST_CASE(tunnel_mode_refuses_what_is_not_an_ip_packet) {
  const std::string common = " --spi 1 --keymat " + kCase3Keymat + " --seq 1 --iv 0001020304050607";
  for (const auto& [args, expect] : std::vector<std::pair<std::string, std::string>>{
           {"encrypt --mode tunnel" + common + " --payload 00112233",
            "--payload: with --mode tunnel"},
           {"encrypt --mode tunnel" + common + " --next-header 17 --payload " + kInnerIpv4,
            "--next-header: with --mode tunnel it follows the payload's IP version: 4"},
           {"encrypt --mode bogus" + common + " --next-header 4 --payload 00", "--mode"},
           {"encrypt" + common + " --payload 00", "--next-header is required in transport mode"}}) {
    BOOST_TEST_CONTEXT(args) {
      auto r = RunCommand(Esp() + args + " 2>&1");
      BOOST_TEST(r.exitCode == 2);
      BOOST_TEST(r.output.find(expect) != std::string::npos, "output: " << r.output);
    }
  }
  // A transport-mode packet (next header 17) opened as tunnel mode.
  auto enc = RunCommand(Esp() + "encrypt" + common + " --next-header 17 --payload 0011");
  BOOST_REQUIRE_EQUAL(enc.exitCode, 0);
  auto dec = RunCommand(Esp() + "decrypt --mode tunnel --spi 1 --keymat " + kCase3Keymat +
                        " --packet " + enc.output.substr(0, enc.output.size() - 1) + " 2>&1");
  BOOST_TEST(dec.exitCode == 1);
  BOOST_TEST(dec.output.find("XfrmInStateModeError") != std::string::npos, dec.output);
}

BOOST_AUTO_TEST_SUITE_END()
