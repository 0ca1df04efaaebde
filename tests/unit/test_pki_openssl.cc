// Certificates, CSRs and keys built by ipsecsim checked with the openssl CLI:
// verification at simulated times, the printed fields, CSR self-signatures,
// plus determinism of the seeded key and serial generation.
#include <boost/test/unit_test.hpp>
#include <ctime>

#include "cert_files.h"
#include "csr.h"
#include "rsa_keys.h"
#include "test_pki_support.h"
#include "x509_time.h"

using namespace pkitest;

namespace {

// openssl's text form of a time: "Jan  1 00:00:00 2026 GMT".
std::string OpensslDate(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%b %e %H:%M:%S %Y GMT", &tm);
  return buf;
}

CommandResult Verify(const std::string& caFile, const std::string& certFile, int64_t at) {
  return Run("openssl verify -attime " + std::to_string(at) + " -CAfile " + caFile + " " +
             certFile);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pki_openssl)

BOOST_AUTO_TEST_CASE(openssl_accepts_every_issued_certificate_during_its_validity) {
  SmallCluster cluster(3);
  TempDir dir;
  std::string error;
  BOOST_REQUIRE_MESSAGE(WriteCertFiles(dir.Path().string(), cluster.signer, cluster.nodes, &error),
                        error);
  const std::string ca = dir.File("certs/ca.pem");
  for (const auto& node : cluster.nodes) {
    const std::string cert = dir.File("certs/" + node.NodeName() + ".pem");
    // openssl treats notAfter as exclusive, RFC 5280 (and ipsecsim) as
    // inclusive: probe the last second both agree on.
    for (int64_t at : {kInstallEpoch, kInstallEpoch + 4 * kYear, node.Cert()->notAfter - 1}) {
      auto r = Verify(ca, cert, at);
      BOOST_CHECK_MESSAGE(r.status == 0 && r.output.find(": OK") != std::string::npos,
                          node.NodeName() << " at " << at << ": " << r.output);
    }
  }
}

BOOST_AUTO_TEST_CASE(openssl_rejects_expired_foreign_and_tampered_certificates) {
  SmallCluster cluster(1);
  SmallCluster foreign(1, kInstallEpoch, kSeed + 1);  // another CA, same CN
  TempDir dir;
  WriteFile(dir.File("ca.pem"), cluster.Ca().Pem());
  WriteFile(dir.File("node.pem"), cluster.NodeCert(0).Pem());
  WriteFile(dir.File("foreign.pem"), foreign.NodeCert(0).Pem());
  Bytes tampered = cluster.NodeCert(0).der;
  tampered[tampered.size() - 10] ^= 0x01;  // inside the signature
  WriteFile(dir.File("tampered.pem"), PemEncode(tampered, "CERTIFICATE"));

  const int64_t expiredAt = cluster.NodeCert(0).notAfter + 1;
  auto expired = Verify(dir.File("ca.pem"), dir.File("node.pem"), expiredAt);
  BOOST_CHECK_NE(expired.status, 0);
  BOOST_CHECK_MESSAGE(expired.output.find("expired") != std::string::npos, expired.output);

  const int64_t notYet = cluster.NodeCert(0).notBefore - 1;
  auto early = Verify(dir.File("ca.pem"), dir.File("node.pem"), notYet);
  BOOST_CHECK_NE(early.status, 0);
  BOOST_CHECK_MESSAGE(early.output.find("not yet valid") != std::string::npos, early.output);

  auto other = Verify(dir.File("ca.pem"), dir.File("foreign.pem"), kInstallEpoch + kDay);
  BOOST_CHECK_NE(other.status, 0);
  BOOST_CHECK_MESSAGE(other.output.find("unable to get local issuer") != std::string::npos,
                      other.output);

  auto bad = Verify(dir.File("ca.pem"), dir.File("tampered.pem"), kInstallEpoch + kDay);
  BOOST_CHECK_NE(bad.status, 0);
  BOOST_CHECK_MESSAGE(bad.output.find("signature failure") != std::string::npos, bad.output);
}

BOOST_AUTO_TEST_CASE(openssl_prints_the_expected_subject_san_validity_and_key_size) {
  SmallCluster cluster(1);
  TempDir dir;
  WriteFile(dir.File("ca.pem"), cluster.Ca().Pem());
  WriteFile(dir.File("node.pem"), cluster.NodeCert(0).Pem());
  const std::string systemId = cluster.nodes[0].SystemId();

  auto node = Run("openssl x509 -noout -text -in " + dir.File("node.pem"));
  BOOST_REQUIRE_EQUAL(node.status, 0);
  const auto has = [](const CommandResult& r, const std::string& s) {
    return r.output.find(s) != std::string::npos;
  };
  BOOST_CHECK_MESSAGE(has(node, "Subject: CN = " + systemId), node.output);
  BOOST_CHECK_MESSAGE(has(node, "Issuer: CN = ovn-kubernetes-signer"), node.output);
  BOOST_CHECK_MESSAGE(has(node, "DNS:" + systemId), node.output);
  BOOST_CHECK_MESSAGE(has(node, "Public-Key: (2048 bit)"), node.output);
  BOOST_CHECK_MESSAGE(has(node, "sha256WithRSAEncryption"), node.output);
  BOOST_CHECK_MESSAGE(has(node, "CA:FALSE"), node.output);
  BOOST_CHECK_MESSAGE(has(node, "Not Before: " + OpensslDate(kInstallEpoch)), node.output);
  BOOST_CHECK_MESSAGE(has(node, "Not After : " + OpensslDate(kInstallEpoch + 5 * kYear)),
                      node.output);

  auto ca = Run("openssl x509 -noout -text -in " + dir.File("ca.pem"));
  BOOST_REQUIRE_EQUAL(ca.status, 0);
  BOOST_CHECK_MESSAGE(has(ca, "Subject: CN = ovn-kubernetes-signer"), ca.output);
  BOOST_CHECK_MESSAGE(has(ca, "CA:TRUE"), ca.output);
  BOOST_CHECK_MESSAGE(has(ca, "Certificate Sign, CRL Sign"), ca.output);
  BOOST_CHECK_MESSAGE(has(ca, "Not After : " + OpensslDate(kInstallEpoch + 10 * kYear)), ca.output);
  BOOST_CHECK_MESSAGE(has(ca, "Public-Key: (2048 bit)"), ca.output);
}

BOOST_AUTO_TEST_CASE(openssl_accepts_the_node_csrs_and_keys) {
  SmallCluster cluster(2);
  TempDir dir;
  std::string error;
  BOOST_REQUIRE_MESSAGE(WriteCertFiles(dir.Path().string(), cluster.signer, cluster.nodes, &error),
                        error);
  for (const auto& node : cluster.nodes) {
    const std::string base = dir.File("certs/" + node.NodeName());
    auto req = Run("openssl req -noout -verify -text -in " + base + ".csr.pem");
    BOOST_CHECK_MESSAGE(req.status == 0 && req.output.find("verify OK") != std::string::npos,
                        req.output);
    BOOST_CHECK_MESSAGE(req.output.find("Subject: CN = " + node.SystemId()) != std::string::npos,
                        req.output);
    BOOST_CHECK_MESSAGE(req.output.find("DNS:" + node.SystemId()) != std::string::npos, req.output);

    auto key = Run("openssl rsa -noout -check -in " + base + ".key.pem");
    BOOST_CHECK_MESSAGE(key.status == 0 && key.output.find("RSA key ok") != std::string::npos,
                        key.output);
    auto keyModulus = Run("openssl rsa -noout -modulus -in " + base + ".key.pem");
    auto certModulus = Run("openssl x509 -noout -modulus -in " + base + ".pem");
    BOOST_CHECK_EQUAL(keyModulus.output, certModulus.output);
  }
}

BOOST_AUTO_TEST_CASE(openssl_reads_a_corrupted_csr_signature_as_invalid) {
  SmallCluster cluster(1);
  TempDir dir;
  Bytes csr = cluster.nodes[0].CsrDer();
  csr[csr.size() - 3] ^= 0x40;
  WriteFile(dir.File("bad.csr.pem"), PemEncode(csr, "CERTIFICATE REQUEST"));
  // openssl 3.0 `req -verify` exits 0 either way; its message is the verdict.
  auto r = Run("openssl req -noout -verify -in " + dir.File("bad.csr.pem"));
  BOOST_CHECK_MESSAGE(r.output.find("verify failure") != std::string::npos, r.output);
  BOOST_CHECK(r.output.find("verify OK") == std::string::npos);
  ParseError error;
  auto parsed = ParseCsr(csr, &error);
  BOOST_REQUIRE(parsed);
  BOOST_CHECK(!parsed->SelfSignatureValid());
}

BOOST_AUTO_TEST_CASE(ca_bundle_files_verify_certificates_of_both_ca_generations) {
  SmallCluster cluster(1);
  const Certificate oldNodeCert = cluster.NodeCert(0);
  const int64_t refresh = cluster.signer.RefreshTime();
  cluster.signer.CreateCa(refresh);
  BOOST_REQUIRE(StartIpsecPod(cluster.nodes[0], cluster.signer, refresh, &cluster.events) ==
                PodStartOutcome::kRenewed);
  TempDir dir;
  std::string error;
  BOOST_REQUIRE(WriteCertFiles(dir.Path().string(), cluster.signer, cluster.nodes, &error));
  BOOST_CHECK(std::filesystem::exists(dir.File("certs/ca-1.pem")));
  WriteFile(dir.File("old-node.pem"), oldNodeCert.Pem());
  const int64_t at = refresh + kDay;
  auto renewed = Verify(dir.File("certs/ca-bundle.pem"), dir.File("certs/worker-0.pem"), at);
  BOOST_CHECK_MESSAGE(renewed.status == 0, renewed.output);
  auto renewedAgainstOld = Verify(dir.File("certs/ca-1.pem"), dir.File("certs/worker-0.pem"), at);
  BOOST_CHECK_NE(renewedAgainstOld.status, 0);
  auto old = Verify(dir.File("certs/ca-bundle.pem"), dir.File("old-node.pem"),
                    oldNodeCert.notBefore + kDay);
  BOOST_CHECK_MESSAGE(old.status == 0, old.output);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_byte_identical_certificates) {
  SmallCluster a(2), b(2);
  SmallCluster other(2, kInstallEpoch, kSeed + 7);
  BOOST_CHECK(a.Ca().der == b.Ca().der);
  for (size_t i = 0; i < 2; ++i) {
    BOOST_CHECK(a.NodeCert(i).der == b.NodeCert(i).der);
    BOOST_CHECK(a.nodes[i].CsrDer() == b.nodes[i].CsrDer());
    BOOST_CHECK(a.NodeCert(i).der != other.NodeCert(i).der);
    BOOST_CHECK(a.NodeCert(i).serial != other.NodeCert(i).serial);
  }
  BOOST_CHECK(a.NodeCert(0).serial != a.NodeCert(1).serial);
  BOOST_CHECK(a.NodeCert(0).publicKey.GetModulus() != a.NodeCert(1).publicKey.GetModulus());
}

BOOST_AUTO_TEST_CASE(certificates_beyond_2049_use_generalized_time) {
  const int64_t install2045 = 2366841600;  // 2045-01-01T00:00:00Z
  SmallCluster cluster(1, install2045);
  BOOST_CHECK(NeedsGeneralizedTime(cluster.Ca().notAfter));
  BOOST_CHECK(!NeedsGeneralizedTime(cluster.Ca().notBefore));
  const std::string expectedEnd = FormatX509Time(install2045 + 10 * kYear);
  BOOST_CHECK_EQUAL(expectedEnd.size(), 15u);  // YYYYMMDDHHMMSSZ
  const Bytes& der = cluster.Ca().der;
  BOOST_CHECK(std::search(der.begin(), der.end(), expectedEnd.begin(), expectedEnd.end()) !=
              der.end());
  TempDir dir;
  WriteFile(dir.File("ca.pem"), cluster.Ca().Pem());
  WriteFile(dir.File("node.pem"), cluster.NodeCert(0).Pem());
  auto text = Run("openssl x509 -noout -enddate -in " + dir.File("ca.pem"));
  BOOST_CHECK_MESSAGE(text.output.find(OpensslDate(install2045 + 10 * kYear)) != std::string::npos,
                      text.output);
  auto verify = Verify(dir.File("ca.pem"), dir.File("node.pem"), install2045 + 4 * kYear);
  BOOST_CHECK_MESSAGE(verify.status == 0, verify.output);
}

BOOST_AUTO_TEST_SUITE_END()
