// PKCS#12 bundles as openssl and NSS's pk12util write them, read by
// models/pkcs12, and the nicknames NSS gives them on import compared with
// what real pk12util does.
#include <boost/test/unit_test.hpp>

#include "bundle_identity.h"
#include "external_artifacts.h"
#include "nss_import.h"
#include "pkcs12_file.h"

using namespace ipsecsim;
using pkcs12::BundleError;

namespace {

struct Bundles {
  std::string dir = test::MakeTempDir("pkcs12");
  test::TestPki pki{dir, "left"};
  bool ok = false;
  Bundles() {
    ok = test::HaveTool("openssl") &&
         pki.Make("/O=Example Org/CN=Example CA", "/O=Example Org/CN=left_server");
  }
  std::string Path(const std::string& name) const { return dir + "/" + name; }
};

Bundles& Shared() {
  static Bundles b;
  return b;
}

#define REQUIRE_TOOLS(...)                                                         \
  do {                                                                             \
    for (const char* tool : {__VA_ARGS__})                                         \
      if (!test::HaveTool(tool)) {                                                 \
        BOOST_TEST_MESSAGE(std::string("skipped: ") + tool + " is not installed"); \
        return;                                                                    \
      }                                                                            \
  } while (0)

pkcs12::BundleIdentity ReadIdentity(const std::string& path, const std::string& password,
                                    pkcs12::Bundle* out = nullptr) {
  const pkcs12::Bundle bundle = pkcs12::ReadBundle(test::ReadBytes(path), password);
  if (out) *out = bundle;
  return pkcs12::IdentifyBundle(bundle);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(external_pkcs12)

BOOST_AUTO_TEST_CASE(openssl_default_pbes2_bundle_reads_with_mac_key_and_friendly_name) {
  REQUIRE_TOOLS("openssl");
  Bundles& b = Shared();
  BOOST_REQUIRE(b.ok);
  BOOST_REQUIRE(b.pki.Export("pbes2.p12", "", "-name left_server"));
  pkcs12::Bundle bundle;
  const auto id = ReadIdentity(b.Path("pbes2.p12"), "", &bundle);
  BOOST_TEST(bundle.hasMac);
  BOOST_TEST(bundle.macDigest == "SHA256");
  BOOST_TEST(bundle.schemes.front() == "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC");
  BOOST_TEST(id.leaf.subjectCn == "left_server");
  BOOST_TEST(id.others.size() == 1u);
  BOOST_TEST(id.keyMatchesLeaf);
  BOOST_REQUIRE(id.friendlyName.has_value());
  BOOST_TEST(*id.friendlyName == "left_server");
  BOOST_TEST(id.issuer.organization == "Example Org");
}

BOOST_AUTO_TEST_CASE(openssl_legacy_3des_and_rc2_bundle_reads_with_a_password) {
  REQUIRE_TOOLS("openssl");
  Bundles& b = Shared();
  BOOST_REQUIRE(b.ok);
  BOOST_REQUIRE(b.pki.Export("legacy.p12", "s3cret", "-legacy -name left_server"));
  pkcs12::Bundle bundle;
  const auto id = ReadIdentity(b.Path("legacy.p12"), "s3cret", &bundle);
  BOOST_TEST(bundle.macDigest == "SHA1");
  // The certificates in RC2-40, the key in 3DES, as openssl -legacy writes them.
  BOOST_TEST(bundle.schemes.size() == 2u);
  BOOST_TEST((std::find(bundle.schemes.begin(), bundle.schemes.end(), "PBE-SHA1-RC2-40") !=
              bundle.schemes.end()));
  BOOST_TEST((std::find(bundle.schemes.begin(), bundle.schemes.end(), "PBE-SHA1-3DES") !=
              bundle.schemes.end()));
  BOOST_TEST(id.keyMatchesLeaf);
  BOOST_TEST(id.leaf.subjectCn == "left_server");
}

BOOST_AUTO_TEST_CASE(explicit_3des_key_and_cert_pbe_reads) {
  REQUIRE_TOOLS("openssl");
  Bundles& b = Shared();
  BOOST_REQUIRE(b.ok);
  BOOST_REQUIRE(
      b.pki.Export("3des.p12", "pw", "-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1"));
  pkcs12::Bundle bundle;
  const auto id = ReadIdentity(b.Path("3des.p12"), "pw", &bundle);
  BOOST_TEST(bundle.schemes.size() == 1u);
  BOOST_TEST(bundle.schemes.front() == "PBE-SHA1-3DES");
  BOOST_TEST(id.keyMatchesLeaf);
}

BOOST_AUTO_TEST_CASE(wrong_password_is_a_mac_failure_with_its_offset) {
  REQUIRE_TOOLS("openssl");
  Bundles& b = Shared();
  BOOST_REQUIRE(b.ok);
  BOOST_REQUIRE(b.pki.Export("pw.p12", "right", "-name left_server"));
  try {
    pkcs12::ReadBundle(test::ReadBytes(b.Path("pw.p12")), "wrong");
    BOOST_FAIL("a wrong password must not read");
  } catch (const BundleError& e) {
    BOOST_TEST(static_cast<int>(e.GetKind()) ==
               static_cast<int>(BundleError::Kind::kWrongPassword));
    BOOST_TEST(std::string(e.what()).find("MAC verification failed") != std::string::npos);
    BOOST_TEST(e.Offset() > 0u);
  }
}

BOOST_AUTO_TEST_CASE(tampered_bundle_fails_the_mac) {
  REQUIRE_TOOLS("openssl");
  Bundles& b = Shared();
  BOOST_REQUIRE(b.ok);
  BOOST_REQUIRE(b.pki.Export("tamper.p12", "", "-name left_server"));
  Bytes data = test::ReadBytes(b.Path("tamper.p12"));
  data[data.size() / 2] ^= 0x01;  // inside the encrypted content
  BOOST_CHECK_THROW(pkcs12::ReadBundle(data, ""), BundleError);
}

BOOST_AUTO_TEST_CASE(truncated_bundle_names_the_byte_offset) {
  REQUIRE_TOOLS("openssl");
  Bundles& b = Shared();
  BOOST_REQUIRE(b.ok);
  BOOST_REQUIRE(b.pki.Export("trunc.p12", "", "-name left_server"));
  const Bytes full = test::ReadBytes(b.Path("trunc.p12"));
  for (size_t keep :
       {size_t(0), size_t(1), size_t(3), size_t(40), full.size() / 2, full.size() - 1}) {
    const Bytes cut(full.begin(), full.begin() + static_cast<long>(keep));
    try {
      pkcs12::ReadBundle(cut, "");
      BOOST_FAIL("a truncated bundle must not read");
    } catch (const BundleError& e) {
      BOOST_TEST(static_cast<int>(e.GetKind()) == static_cast<int>(BundleError::Kind::kMalformed));
      BOOST_TEST(e.Offset() <= keep);
      BOOST_TEST(std::string(e.what()).rfind("byte ", 0) == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(bundle_without_friendly_name_has_none) {
  REQUIRE_TOOLS("openssl");
  Bundles& b = Shared();
  BOOST_REQUIRE(b.ok);
  BOOST_REQUIRE(b.pki.Export("noname.p12", "", ""));
  const auto id = ReadIdentity(b.Path("noname.p12"), "");
  BOOST_TEST(!id.friendlyName.has_value());
}

BOOST_AUTO_TEST_CASE(pk12util_export_with_the_empty_password_reads) {
  REQUIRE_TOOLS("openssl", "certutil", "pk12util");
  Bundles& b = Shared();
  BOOST_REQUIRE(b.ok);
  BOOST_REQUIRE(b.pki.Export("for-nss.p12", "", "-name left_server"));
  const std::string db = b.Path("nssdb-export");
  BOOST_REQUIRE(test::RunCommand("mkdir -p " + db + " && certutil -N -d sql:" + db +
                                 " --empty-password 2>&1 && pk12util -W '' -i " +
                                 b.Path("for-nss.p12") + " -d sql:" + db + " 2>&1")
                    .exitCode == 0);
  const auto out = test::RunCommand("pk12util -o " + b.Path("nss.p12") +
                                    " -n left_server -W '' -d sql:" + db + " 2>&1");
  BOOST_REQUIRE_MESSAGE(out.exitCode == 0, out.output);
  pkcs12::Bundle bundle;
  const auto id = ReadIdentity(b.Path("nss.p12"), "", &bundle);
  BOOST_TEST(bundle.hasMac);
  BOOST_TEST(id.leaf.subjectCn == "left_server");
  BOOST_TEST(id.keyMatchesLeaf);
  BOOST_REQUIRE(id.friendlyName.has_value());
  BOOST_TEST(*id.friendlyName == "left_server");
  BOOST_TEST_MESSAGE("pk12util wrote: " << bundle.schemes.size() << " schemes, first "
                                        << (bundle.schemes.empty() ? "-" : bundle.schemes.front()));
}

BOOST_AUTO_TEST_SUITE_END()
