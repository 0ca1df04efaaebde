// The nickname NSS gives a PKCS#12 bundle's certificate on import
// (models/pkcs12/nss_import.h), case by case against real certutil and
// pk12util on a scratch NSS database.
#include <boost/test/unit_test.hpp>
#include <set>

#include "bundle_identity.h"
#include "certificate.h"
#include "external_artifacts.h"
#include "nss_import.h"
#include "pem.h"
#include "pkcs12_file.h"

using namespace ipsecsim;

namespace {

bool HaveNssTools() {
  for (const char* tool : {"openssl", "certutil", "pk12util"})
    if (!test::HaveTool(tool)) {
      BOOST_TEST_MESSAGE(std::string("skipped: ") + tool + " is not installed");
      return false;
    }
  return true;
}

pki::Certificate LoadPem(const std::string& path) {
  const Bytes text = test::ReadBytes(path);
  pki::ParseError error;
  auto certs = pki::ParseCertificatesPem(std::string(text.begin(), text.end()), &error);
  BOOST_REQUIRE_MESSAGE(certs && !certs->empty(), path + ": " + error.Describe());
  return certs->front();
}

// Nicknames in `certutil -L` output: the text before the trust column.
std::set<std::string> RealNicknames(const std::string& db) {
  const auto out = test::RunCommand("certutil -L -d sql:" + db);
  std::set<std::string> names;
  size_t pos = 0;
  int lineNo = 0;
  while (pos < out.output.size()) {
    size_t end = out.output.find('\n', pos);
    if (end == std::string::npos) end = out.output.size();
    std::string line = out.output.substr(pos, end - pos);
    pos = end + 1;
    if (++lineNo <= 4 || line.empty()) continue;  // header lines
    const size_t gap = line.rfind("  ");
    if (gap == std::string::npos) continue;
    line = line.substr(0, gap);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    names.insert(line);
  }
  return names;
}

std::set<std::string> ModelNicknames(const pkcs12::NssDatabase& db) {
  std::set<std::string> names;
  for (const pkcs12::NssEntry& e : db.Entries()) names.insert(e.nickname);
  return names;
}

// One import case: certificates added first (certutil -A -n NICK -i FILE),
// then the bundle; the model and the tools must end with the same nicknames.
struct ImportCase {
  std::string dir = test::MakeTempDir("nss-nick");
  std::string db = dir + "/db";
  pkcs12::NssDatabase model;

  ImportCase() {
    BOOST_REQUIRE(test::RunCommand("mkdir -p " + db + " && certutil -N -d sql:" + db +
                                   " --empty-password 2>&1")
                      .exitCode == 0);
  }
  void AddCertificate(const std::string& nickname, const std::string& pemPath) {
    BOOST_REQUIRE(test::RunCommand("certutil -A -n '" + nickname + "' -t 'CT,C,C' -d sql:" + db +
                                   " -i " + pemPath + " 2>&1")
                      .exitCode == 0);
    model.Add({nickname, LoadPem(pemPath).subjectName, false});
  }
  std::string Import(const std::string& p12) {
    const auto real = test::RunCommand("pk12util -W '' -i " + p12 + " -d sql:" + db + " 2>&1");
    BOOST_TEST_MESSAGE("pk12util: " << real.output);
    const auto bundle = pkcs12::IdentifyBundle(pkcs12::ReadBundle(test::ReadBytes(p12), ""));
    const pkcs12::NicknameChoice choice = pkcs12::ImportBundle(model, bundle);
    BOOST_TEST((real.exitCode == 0) == (choice.rule != pkcs12::NicknameChoice::Rule::kFailed));
    BOOST_TEST(ModelNicknames(model) == RealNicknames(db), boost::test_tools::per_element());
    return choice.nickname;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(nss_nicknames)

BOOST_AUTO_TEST_CASE(friendly_name_is_used_when_free) {
  if (!HaveNssTools()) return;
  ImportCase c;
  test::TestPki pki{c.dir, "left"};
  BOOST_REQUIRE(pki.Make("/O=Example Org/CN=Example CA", "/O=Example Org/CN=left_server"));
  BOOST_REQUIRE(pki.Export("b.p12", "", "-name left_server"));
  c.AddCertificate("CA", c.dir + "/ca.pem");
  BOOST_TEST(c.Import(c.dir + "/b.p12") == "left_server");
  BOOST_TEST(!pkcs12::ModifyTrust(c.model, "left_server").has_value());
}

BOOST_AUTO_TEST_CASE(no_friendly_name_gives_cn_dash_issuer_o_and_the_documented_modify_fails) {
  if (!HaveNssTools()) return;
  ImportCase c;
  test::TestPki pki{c.dir, "left"};
  BOOST_REQUIRE(pki.Make("/O=Example Org/CN=Example CA", "/O=Example Org/CN=left_server"));
  BOOST_REQUIRE(pki.Export("b.p12", "", ""));
  c.AddCertificate("CA", c.dir + "/ca.pem");
  BOOST_TEST(c.Import(c.dir + "/b.p12") == "left_server - Example Org");
  const auto modelError = pkcs12::ModifyTrust(c.model, "left_server");
  const auto real =
      test::RunCommand("certutil -M -n left_server -t u,u,u -d sql:" + c.db + " 2>&1");
  BOOST_TEST(real.exitCode != 0);
  BOOST_REQUIRE(modelError.has_value());
  BOOST_TEST(real.output.find(*modelError) != std::string::npos,
             real.output << " vs " << *modelError);
}

BOOST_AUTO_TEST_CASE(no_friendly_name_and_no_issuer_o_gives_the_cn_alone) {
  if (!HaveNssTools()) return;
  ImportCase c;
  test::TestPki pki{c.dir, "left"};
  BOOST_REQUIRE(pki.Make("/CN=Bare CA", "/CN=left_server"));
  BOOST_REQUIRE(pki.Export("b.p12", "", ""));
  c.AddCertificate("CA", c.dir + "/ca.pem");
  BOOST_TEST(c.Import(c.dir + "/b.p12") == "left_server");
}

BOOST_AUTO_TEST_CASE(friendly_name_taken_by_another_subject_falls_back_to_the_generated_name) {
  if (!HaveNssTools()) return;
  ImportCase c;
  test::TestPki other{c.dir + "/other", "other"};
  BOOST_REQUIRE(test::RunCommand("mkdir -p " + other.dir).exitCode == 0);
  BOOST_REQUIRE(other.Make("/O=Other Org/CN=Other CA", "/O=Other Org/CN=someone_else"));
  test::TestPki pki{c.dir, "left"};
  BOOST_REQUIRE(pki.Make("/O=Example Org/CN=Example CA", "/O=Example Org/CN=left_server"));
  BOOST_REQUIRE(pki.Export("b.p12", "", "-name left_server"));
  c.AddCertificate("CA", c.dir + "/ca.pem");
  c.AddCertificate("left_server", other.dir + "/other.pem");
  BOOST_TEST(c.Import(c.dir + "/b.p12") == "left_server - Example Org");
}

BOOST_AUTO_TEST_CASE(same_subject_already_in_the_database_keeps_its_nickname) {
  if (!HaveNssTools()) return;
  ImportCase c;
  test::TestPki pki{c.dir, "left"};
  BOOST_REQUIRE(pki.Make("/O=Example Org/CN=Example CA", "/O=Example Org/CN=left_server"));
  BOOST_REQUIRE(pki.Export("b.p12", "", "-name left_server"));
  c.AddCertificate("CA", c.dir + "/ca.pem");
  c.AddCertificate("old_name", c.dir + "/left.pem");
  BOOST_TEST(c.Import(c.dir + "/b.p12") == "old_name");
}

BOOST_AUTO_TEST_CASE(generated_name_in_use_is_uniquified) {
  if (!HaveNssTools()) return;
  ImportCase c;
  test::TestPki other{c.dir + "/other", "other"};
  BOOST_REQUIRE(test::RunCommand("mkdir -p " + other.dir).exitCode == 0);
  BOOST_REQUIRE(other.Make("/O=Other Org/CN=Other CA", "/O=Other Org/CN=someone_else"));
  test::TestPki pki{c.dir, "left"};
  BOOST_REQUIRE(pki.Make("/O=Example Org/CN=Example CA", "/O=Example Org/CN=left_server"));
  BOOST_REQUIRE(pki.Export("b.p12", "", ""));
  c.AddCertificate("CA", c.dir + "/ca.pem");
  c.AddCertificate("left_server - Example Org", other.dir + "/other.pem");
  BOOST_TEST(c.Import(c.dir + "/b.p12") == "left_server - Example Org #2");
}

BOOST_AUTO_TEST_SUITE_END()
