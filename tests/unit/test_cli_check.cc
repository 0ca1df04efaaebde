// `ipsecsim check` end to end on the documented files and on broken
// variants of them, and `ipsecsim run` naming these files.
#include <boost/test/unit_test.hpp>

#include "external_artifacts.h"

using namespace ipsecsim;

namespace {

const std::string kExt = "scenarios/external/";

test::CommandResult Check(const std::string& args) {
  return test::RunCommand(test::IpsecsimBinary() + " check --date 2027-06-01 " + args + " 2>&1");
}

bool Has(const test::CommandResult& r, const std::string& text) {
  return r.output.find(text) != std::string::npos;
}

std::string Conf(const std::string& dir, const std::string& body) {
  const std::string path = dir + "/ipsec-endpoint-config.conf";
  test::WriteText(path, body);
  return path;
}

// The documented conf and CA checked with a bundle made for the case.
test::CommandResult CheckWithBundle(const std::string& tag, const std::string& leafSubject,
                                    const std::string& exportArgs) {
  const std::string dir = test::MakeTempDir(tag);
  test::TestPki pki{dir, "left"};
  BOOST_REQUIRE(pki.Make("/O=Example Org/CN=Example CA", leafSubject));
  BOOST_REQUIRE(pki.Export("left_server.p12", "", exportArgs));
  return Check(kExt + "ipsec-endpoint-config.conf " + dir + "/left_server.p12 " + dir + "/ca.pem");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_check)

BOOST_AUTO_TEST_CASE(documented_files_pass_and_the_nickname_matches) {
  const auto r = Check("-d " + kExt + " " + kExt + "99-ipsec-worker-endpoint-config.bu " + kExt +
                       "99-ipsec-master-endpoint-config.bu " + kExt +
                       "ipsec-endpoint-config.conf " + kExt + "left_server.p12 " + kExt + "ca.pem");
  BOOST_TEST(r.exitCode == 0, r.output);
  BOOST_TEST(Has(r,
                 "ipsec-endpoint-config.conf:7: note: conn external: leftcert=left_server is in "
                 "the node's NSS database"));
  BOOST_TEST(Has(r, "MAC HMAC-SHA256 verified"));
  BOOST_TEST(Has(r, "does not begin with ovs_"));
  BOOST_TEST(Has(r, "UDP 500"));
  BOOST_TEST(Has(r, "ESP (IP protocol 50)"));
}

BOOST_AUTO_TEST_CASE(the_machine_config_alone_carries_every_file) {
  const auto r = Check(kExt + "99-ipsec-worker-endpoint-config.yaml");
  BOOST_TEST(r.exitCode == 0, r.output);
  BOOST_TEST(
      Has(r, "99-ipsec-worker-endpoint-config.yaml:/etc/ipsec.d/ipsec-endpoint-config.conf"));
  BOOST_TEST(Has(r, "leftcert=left_server is in the node's NSS database"));
}

BOOST_AUTO_TEST_CASE(bundle_without_friendly_name_breaks_the_documented_import) {
  if (!test::HaveTool("openssl")) return;
  const auto r = CheckWithBundle("check-noname", "/O=Example Org/CN=left_server", "");
  BOOST_TEST(r.exitCode == 1, r.output);
  BOOST_TEST(Has(r, "certutil: could not find certificate named \"left_server\""));
  BOOST_TEST(
      Has(r,
          "ipsec-endpoint-config.conf:7: error: conn external: leftcert=left_server is not in "
          "the node's NSS database after the import (the bundle's certificate is there as "
          "'left_server - Example Org')"));
  BOOST_TEST(Has(r, "left certificate 'left_server' not found in the NSS database"));
}

BOOST_AUTO_TEST_CASE(ovs_prefixed_cn_is_an_error) {
  if (!test::HaveTool("openssl")) return;
  const auto r = CheckWithBundle("check-ovs", "/O=Example Org/CN=ovs_left", "-name left_server");
  BOOST_TEST(r.exitCode == 1, r.output);
  BOOST_TEST(Has(r, "error: certificate CN=ovs_left begins with ovs_"));
}

BOOST_AUTO_TEST_CASE(interference_from_the_conf_alone) {
  const std::string dir = test::MakeTempDir("check-interfere");
  const std::string conf = Conf(dir,
                                "conn %default\n    authby=rsasig\n    narrowing=yes\n"
                                "conn nas-1\n    right=192.0.2.10\n    leftcert=left_server\n"
                                "    rightsubnet=0.0.0.0/0\n    leftsubnet=10.0.0.0/16\n");
  const auto r = Check("--machine-network 10.0.0.0/24 " + conf);
  BOOST_TEST(r.exitCode == 1, r.output);
  BOOST_TEST(Has(r, conf + ":1: error: conn %default: Libreswan merges every %default"));
  BOOST_TEST(Has(r, conf + ":4: error: conn nas-1: ovs-monitor-ipsec reads a name with a hyphen"));
  BOOST_TEST(
      Has(r, conf + ":7: error: conn nas-1: rightsubnet=0.0.0.0/0 captures every host's traffic"));
  BOOST_TEST(Has(
      r,
      conf +
          ":8: error: conn nas-1: leftsubnet=10.0.0.0/16 spans the machine network 10.0.0.0/24"));
  BOOST_TEST(Has(r, "type=transport (Libreswan's default: tunnel)"));
  BOOST_TEST(Has(r, conf + ":3: warning: narrowing=yes is read but not modelled by ipsecsim"));
}

BOOST_AUTO_TEST_CASE(conf_syntax_error_is_malformed_with_file_and_line) {
  const std::string dir = test::MakeTempDir("check-syntax");
  const std::string conf =
      Conf(dir, "conn a\n    right=192.0.2.1\n    rightsubnett=192.0.2.0/24\n");
  const auto r = Check(conf);
  BOOST_TEST(r.exitCode == 2, r.output);
  BOOST_TEST(Has(r, conf + ":3: malformed: syntax error [rightsubnett]"));
  BOOST_TEST(Has(r, "pluto does not start, and pod-to-pod IPsec stops with it"));
}

BOOST_AUTO_TEST_CASE(truncated_and_wrong_password_bundles_are_malformed_with_a_byte_offset) {
  const std::string dir = test::MakeTempDir("check-p12");
  const Bytes full = test::ReadBytes(kExt + "left_server.p12");
  test::WriteText(dir + "/cut.p12", std::string(full.begin(), full.begin() + 1500));
  const auto cut = Check(dir + "/cut.p12");
  BOOST_TEST(cut.exitCode == 2, cut.output);
  BOOST_TEST(Has(cut, dir + "/cut.p12: byte "));
  const auto wrong = Check("--password nope " + kExt + "left_server.p12");
  BOOST_TEST(wrong.exitCode == 2, wrong.output);
  BOOST_TEST(Has(wrong, "MAC verification failed"));
}

BOOST_AUTO_TEST_CASE(expiry_and_a_foreign_ca_are_errors_at_the_given_date) {
  const auto late = test::RunCommand(test::IpsecsimBinary() + " check --date 2040-01-01 " + kExt +
                                     "left_server.p12 " + kExt + "ca.pem 2>&1");
  BOOST_TEST(late.exitCode == 1, late.output);
  BOOST_TEST(Has(late, "expired at"));
  if (!test::HaveTool("openssl")) return;
  const std::string dir = test::MakeTempDir("check-ca");
  test::TestPki other{dir, "x"};
  BOOST_REQUIRE(other.Make("/O=Other/CN=Other CA", "/O=Other/CN=x"));
  const auto foreign = Check(kExt + "left_server.p12 " + dir + "/ca.pem");
  BOOST_TEST(foreign.exitCode == 1, foreign.output);
  BOOST_TEST(Has(foreign, "does not chain to the given CA"));
  const auto bad =
      test::RunCommand(test::IpsecsimBinary() + " check --date 2027-13-01 " + kExt + "ca.pem 2>&1");
  BOOST_TEST(bad.exitCode == 2);
}

BOOST_AUTO_TEST_CASE(binary_and_misplaced_files_are_named_never_dumped) {
  const std::string dir = test::MakeTempDir("check-kinds");
  std::string noise;
  for (int i = 0; i < 512; ++i) noise += static_cast<char>((i * 37 + 11) & 0xff);
  test::WriteText(dir + "/blob.bin", noise);
  const auto blob = Check(dir + "/blob.bin");
  BOOST_TEST(blob.exitCode == 2);
  BOOST_TEST(Has(blob, "binary data (512 bytes)"));
  for (unsigned char c : blob.output) BOOST_TEST_REQUIRE((c == '\n' || (c >= 0x20 && c < 0x7f)));
  const auto scenario = Check("scenarios/flow-matrix.yaml");
  BOOST_TEST(scenario.exitCode == 2);
  BOOST_TEST(Has(scenario, "this looks like an ipsecsim scenario"));
  BOOST_TEST(Has(scenario, "pass it to `ipsecsim run`"));
}

BOOST_AUTO_TEST_CASE(butane_needs_its_files_directory) {
  const auto r = Check(kExt + "99-ipsec-worker-endpoint-config.bu");
  BOOST_TEST(r.exitCode == 2, r.output);
  BOOST_TEST(Has(r,
                 "99-ipsec-worker-endpoint-config.bu:42: malformed: error at "
                 "$.storage.files.0.contents.local: "
                 "local file paths are relative to a files directory that must be specified with "
                 "-d/--files-dir"));
}

BOOST_AUTO_TEST_CASE(run_names_external_endpoint_files_and_patch_bodies) {
  for (const std::string& file : {kExt + "left_server.p12", kExt + "ipsec-endpoint-config.conf",
                                  kExt + "99-ipsec-worker-endpoint-config.bu"}) {
    const auto r = test::RunCommand(test::IpsecsimBinary() + " run " + file + " 2>&1");
    BOOST_TEST(r.exitCode == 2);
    BOOST_TEST(Has(r, "not a scenario; pass it to `ipsecsim check`"), r.output);
    for (unsigned char c : r.output) BOOST_TEST_REQUIRE((c == '\n' || (c >= 0x20 && c < 0x7f)));
  }
  const std::string dir = test::MakeTempDir("run-patch");
  test::WriteText(dir + "/patch.json",
                  "{\"spec\":{\"defaultNetwork\":{\"ovnKubernetesConfig\":{\"ipsecConfig\":{"
                  "\"mode\":\"External\"}}}}}\n");
  const auto patch = test::RunCommand(test::IpsecsimBinary() + " run " + dir + "/patch.json 2>&1");
  BOOST_TEST(patch.exitCode == 2);
  BOOST_TEST(Has(patch, "an `oc patch` body"));
  BOOST_TEST(!Has(patch, "did you mean"));
}

BOOST_AUTO_TEST_SUITE_END()
