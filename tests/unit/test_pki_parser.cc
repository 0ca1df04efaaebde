// ipsecsim's DER parser: the fields of its own certificates, certificates
// and CSRs made by the openssl CLI, and malformed input (every truncation,
// random bit flips, targeted corruptions) that must give a precise error.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <random>

#include "chain_validation.h"
#include "csr.h"
#include "test_pki_support.h"
#include "x509_time.h"

using namespace pkitest;

namespace {

// Where `text` occurs in `der`, or npos.
size_t Find(const Bytes& der, const std::string& text) {
  auto it = std::search(der.begin(), der.end(), text.begin(), text.end(),
                        [](uint8_t a, char b) { return a == static_cast<uint8_t>(b); });
  return it == der.end() ? std::string::npos : size_t(it - der.begin());
}

// The value printed by `openssl x509 -noout -<field>` as "field=value".
std::string OpensslField(const std::string& certFile, const std::string& field) {
  auto r = Run("openssl x509 -noout -" + field + " -in " + certFile);
  BOOST_REQUIRE_EQUAL(r.status, 0);
  const auto eq = r.output.find('=');
  BOOST_REQUIRE(eq != std::string::npos);
  std::string value = r.output.substr(eq + 1);
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  return value;
}

int64_t UnixFromOpenssl(const std::string& certFile, const std::string& field) {
  // -dateopt iso_8601 prints "2026-01-01 00:00:00Z".
  auto r = Run("openssl x509 -noout -dateopt iso_8601 -" + field + " -in " + certFile);
  BOOST_REQUIRE_EQUAL(r.status, 0);
  const std::string v = r.output.substr(r.output.find('=') + 1);
  const std::string generalized = v.substr(0, 4) + v.substr(5, 2) + v.substr(8, 2) +
                                  v.substr(11, 2) + v.substr(14, 2) + v.substr(17, 2) + "Z";
  auto t = ParseGeneralizedTime(generalized);
  BOOST_REQUIRE_MESSAGE(t, "cannot read openssl date " << v);
  return *t;
}

Certificate LoadCert(const std::string& file) {
  ParseError error;
  auto certs = ParseCertificatesPem(ReadFile(file), &error);
  BOOST_REQUIRE_MESSAGE(certs, file << ": " << error.Describe());
  BOOST_REQUIRE_EQUAL(certs->size(), 1u);
  return certs->front();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pki_parser)

BOOST_AUTO_TEST_CASE(parses_the_fields_of_ipsecsim_certificates) {
  SmallCluster cluster(1);
  const Certificate& node = cluster.NodeCert(0);
  const std::string systemId = cluster.nodes[0].SystemId();
  BOOST_CHECK_EQUAL(node.version, 3);
  BOOST_CHECK_EQUAL(node.subjectCn, systemId);
  BOOST_CHECK_EQUAL(node.issuerCn, "ovn-kubernetes-signer");
  BOOST_REQUIRE_EQUAL(node.extensions.dnsNames.size(), 1u);
  BOOST_CHECK_EQUAL(node.extensions.dnsNames[0], systemId);
  BOOST_CHECK_EQUAL(node.notBefore, kInstallEpoch);
  BOOST_CHECK_EQUAL(node.notAfter, kInstallEpoch + 5 * kYear);
  BOOST_CHECK_EQUAL(node.keyBits, 2048u);
  BOOST_CHECK(!node.IsCa());
  BOOST_CHECK(node.extensions.hasBasicConstraints);
  BOOST_CHECK(node.extensions.serverAuth && node.extensions.clientAuth);
  BOOST_CHECK(node.extensions.authorityKeyId == cluster.Ca().extensions.subjectKeyId);
  BOOST_CHECK(node.issuerName == cluster.Ca().subjectName);
  BOOST_CHECK(cluster.Ca().IsCa());
  BOOST_CHECK(IsSignedBy(node, cluster.Ca().publicKey));
  BOOST_CHECK(IsSignedBy(cluster.Ca(), cluster.Ca().publicKey));
  BOOST_CHECK(!IsSignedBy(node, node.publicKey));

  TempDir dir;
  WriteFile(dir.File("node.pem"), node.Pem());
  BOOST_CHECK(ParseHex(OpensslField(dir.File("node.pem"), "serial")) == node.serial);
}

BOOST_AUTO_TEST_CASE(reads_and_validates_a_chain_made_by_openssl) {
  TempDir dir;
  const std::string d = dir.Path().string() + "/";
  // A CA valid beyond 2049 (GeneralizedTime), then a node CSR signed with it.
  auto ca = Run("openssl req -x509 -newkey rsa:2048 -nodes -keyout " + d + "ca.key -out " + d +
                "ca.pem -days 10000 -subj /CN=openssl-test-signer -addext "
                "basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
  BOOST_REQUIRE_MESSAGE(ca.status == 0, ca.output);
  auto req = Run("openssl req -new -newkey rsa:2048 -nodes -keyout " + d + "node.key -out " + d +
                 "node.csr -subj /O=ovnkubernetes/CN=sys-abc -addext subjectAltName=DNS:sys-abc");
  BOOST_REQUIRE_MESSAGE(req.status == 0, req.output);
  WriteFile(d + "ext.cnf", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:sys-abc,DNS:other\n");
  auto sign =
      Run("openssl x509 -req -in " + d + "node.csr -CA " + d + "ca.pem -CAkey " + d +
          "ca.key -CAcreateserial -days 1825 -extfile " + d + "ext.cnf -out " + d + "node.pem");
  BOOST_REQUIRE_MESSAGE(sign.status == 0, sign.output);

  const Certificate caCert = LoadCert(d + "ca.pem");
  const Certificate node = LoadCert(d + "node.pem");
  BOOST_CHECK_EQUAL(caCert.subjectCn, "openssl-test-signer");
  BOOST_CHECK(caCert.IsCa());
  BOOST_CHECK(NeedsGeneralizedTime(caCert.notAfter));
  BOOST_CHECK_EQUAL(caCert.notAfter, UnixFromOpenssl(d + "ca.pem", "enddate"));
  BOOST_CHECK_EQUAL(node.notBefore, UnixFromOpenssl(d + "node.pem", "startdate"));
  BOOST_CHECK_EQUAL(node.notAfter, UnixFromOpenssl(d + "node.pem", "enddate"));
  BOOST_CHECK(ParseHex(OpensslField(d + "node.pem", "serial")) == node.serial);
  BOOST_CHECK_EQUAL(node.subjectCn, "sys-abc");
  BOOST_CHECK_EQUAL(node.issuerCn, "openssl-test-signer");
  BOOST_CHECK_EQUAL(node.keyBits, 2048u);
  BOOST_CHECK(!node.IsCa());
  BOOST_REQUIRE_EQUAL(node.extensions.dnsNames.size(), 2u);
  BOOST_CHECK_EQUAL(node.extensions.dnsNames[1], "other");

  const int64_t during = node.notBefore + kDay;
  auto ok = ValidateChain(node, {}, {caCert}, during, "@sys-abc");
  BOOST_CHECK_MESSAGE(ok.Ok(), ok.detail);
  BOOST_CHECK(ValidateChain(node, {}, {caCert}, during, "@other").Ok());
  BOOST_CHECK(ValidateChain(node, {}, {caCert}, during, "@sys-xyz").error ==
              ChainError::kIdMismatch);
  BOOST_CHECK(ValidateChain(node, {}, {caCert}, node.notAfter + 1, "@sys-abc").error ==
              ChainError::kExpired);

  ParseError error;
  auto csr = ParseCsr(ReadPemFile(d + "node.csr", "CERTIFICATE REQUEST"), &error);
  BOOST_REQUIRE_MESSAGE(csr, error.Describe());
  BOOST_CHECK_EQUAL(csr->subjectCn, "sys-abc");
  BOOST_CHECK(csr->SelfSignatureValid());
  BOOST_REQUIRE_EQUAL(csr->requested.dnsNames.size(), 1u);
  BOOST_CHECK_EQUAL(csr->requested.dnsNames[0], "sys-abc");
}

BOOST_AUTO_TEST_CASE(every_truncation_gives_an_error_inside_the_input) {
  SmallCluster cluster(1);
  for (const Bytes* der : {&cluster.NodeCert(0).der, &cluster.Ca().der}) {
    for (size_t len = 0; len < der->size(); ++len) {
      ParseError error;
      auto cert = ParseCertificate(der->data(), len, &error);
      BOOST_REQUIRE_MESSAGE(!cert, "prefix of " << len << " bytes parsed");
      BOOST_REQUIRE_MESSAGE(error.offset <= len, "offset " << error.offset << " > " << len);
      BOOST_REQUIRE(!error.expected.empty());
    }
  }
  const Bytes& csr = cluster.nodes[0].CsrDer();
  for (size_t len = 0; len < csr.size(); ++len) {
    ParseError error;
    BOOST_REQUIRE(!ParseCsr(csr.data(), len, &error));
    BOOST_REQUIRE(error.offset <= len);
  }
}

BOOST_AUTO_TEST_CASE(random_bit_flips_never_yield_a_certificate_that_verifies) {
  SmallCluster cluster(1);
  const Certificate& good = cluster.NodeCert(0);
  std::mt19937 rng(12345);
  size_t rejectedByParser = 0;
  for (int i = 0; i < 3000; ++i) {
    Bytes der = good.der;
    const int flips = 1 + int(rng() % 3);
    for (int f = 0; f < flips; ++f) der[rng() % der.size()] ^= uint8_t(1u << (rng() % 8));
    ParseError error;
    auto cert = ParseCertificate(der, &error);
    if (!cert) {
      ++rejectedByParser;
      BOOST_REQUIRE(error.offset <= der.size());
      continue;
    }
    // Whatever still parses must fail the signature check.
    BOOST_REQUIRE_MESSAGE(!IsSignedBy(*cert, cluster.Ca().publicKey),
                          "flip " << i << " still verifies: " << ToHex(der));
    BOOST_REQUIRE(!ValidateChain(*cert, {}, {cluster.Ca()}, kInstallEpoch + kDay, "").Ok());
  }
  BOOST_CHECK_GT(rejectedByParser, 0u);
}

BOOST_AUTO_TEST_CASE(a_bad_date_is_reported_at_the_offset_of_not_after) {
  SmallCluster cluster(1);
  Bytes der = cluster.NodeCert(0).der;
  const size_t text = Find(der, FormatX509Time(cluster.NodeCert(0).notAfter));
  BOOST_REQUIRE(text != std::string::npos);
  der[text + 2] = '1';  // month 13
  der[text + 3] = '3';
  ParseError error;
  BOOST_REQUIRE(!ParseCertificate(der, &error));
  BOOST_CHECK_EQUAL(error.offset, text - 2);  // the UTCTime tag
  BOOST_CHECK_MESSAGE(error.expected.find("notAfter") != std::string::npos, error.Describe());
  BOOST_CHECK_MESSAGE(error.detail.find("bad time value") != std::string::npos, error.Describe());
}

BOOST_AUTO_TEST_CASE(a_bad_san_is_reported_inside_the_extension) {
  SmallCluster cluster(1);
  Bytes der = cluster.NodeCert(0).der;
  const std::string id = cluster.nodes[0].SystemId();
  // The SAN's dNSName is tagged 0x82 just before its length and text.
  size_t pos = Find(der, std::string("\x82") + char(id.size()) + id);
  BOOST_REQUIRE(pos != std::string::npos);
  der[pos + 1] = uint8_t(id.size() + 40);  // claims more than the GeneralNames holds
  ParseError error;
  BOOST_REQUIRE(!ParseCertificate(der, &error));
  BOOST_CHECK_EQUAL(error.offset, pos);
  BOOST_CHECK_MESSAGE(error.expected.find("dNSName") != std::string::npos, error.Describe());
}

BOOST_AUTO_TEST_CASE(trailing_and_indefinite_length_encodings_are_rejected) {
  SmallCluster cluster(1);
  Bytes trailing = cluster.NodeCert(0).der;
  trailing.push_back(0x00);
  ParseError error;
  BOOST_REQUIRE(!ParseCertificate(trailing, &error));
  BOOST_CHECK_EQUAL(error.offset, cluster.NodeCert(0).der.size());
  BOOST_CHECK_MESSAGE(error.detail.find("trailing") != std::string::npos, error.Describe());

  // The outer SEQUENCE re-encoded with an indefinite length (BER, not DER).
  const Bytes& der = cluster.NodeCert(0).der;
  BOOST_REQUIRE_EQUAL(der[1], 0x82);  // long form, two length bytes
  Bytes indefinite = {0x30, 0x80};
  indefinite.insert(indefinite.end(), der.begin() + 4, der.end());
  indefinite.push_back(0x00);
  indefinite.push_back(0x00);
  BOOST_REQUIRE(!ParseCertificate(indefinite, &error));
  BOOST_CHECK_EQUAL(error.offset, 0u);
  BOOST_CHECK_MESSAGE(error.detail.find("indefinite") != std::string::npos, error.Describe());
}

BOOST_AUTO_TEST_CASE(non_certificates_are_rejected_at_byte_zero) {
  SmallCluster cluster(1);
  ParseError error;
  BOOST_CHECK(!ParseCertificate(cluster.nodes[0].CsrDer(), &error));  // a CSR is no certificate
  const Bytes junk = {0x04, 0x03, 'a', 'b', 'c'};
  BOOST_REQUIRE(!ParseCertificate(junk, &error));
  BOOST_CHECK_EQUAL(error.offset, 0u);
  BOOST_CHECK_MESSAGE(error.expected.find("Certificate SEQUENCE") != std::string::npos,
                      error.Describe());
  const Bytes empty;
  BOOST_CHECK(!ParseCertificate(empty, &error));
}

BOOST_AUTO_TEST_CASE(x509_times_round_trip_and_reject_impossible_dates) {
  for (int64_t t :
       {int64_t(0), kInstallEpoch, int64_t(2524607999), int64_t(2524608000), int64_t(4102444800)}) {
    const std::string s = FormatX509Time(t);
    auto back = s.size() == 13 ? ParseUtcTime(s) : ParseGeneralizedTime(s);
    BOOST_REQUIRE(back);
    BOOST_CHECK_EQUAL(*back, t);
  }
  BOOST_CHECK_EQUAL(FormatX509Time(2524607999), "491231235959Z");    // last UTCTime second
  BOOST_CHECK_EQUAL(FormatX509Time(2524608000), "20500101000000Z");  // first GeneralizedTime
  BOOST_CHECK(!ParseUtcTime("260230000000Z"));                       // 30 February
  BOOST_CHECK(ParseGeneralizedTime("20480229000000Z"));              // leap day
  BOOST_CHECK(!ParseGeneralizedTime("21000229000000Z"));             // 2100 is not leap
  BOOST_CHECK(!ParseUtcTime("2601010000000"));                       // no Z
  BOOST_CHECK(!ParseUtcTime("260101240000Z"));                       // hour 24
}

BOOST_AUTO_TEST_SUITE_END()
