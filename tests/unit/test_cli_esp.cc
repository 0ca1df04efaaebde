// `ipsecsim esp` as a user runs it: vectors through the command line, and the
// exit codes for failed authentication (1) and bad arguments (2).
#include <boost/test/unit_test.hpp>

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

BOOST_AUTO_TEST_SUITE_END()
