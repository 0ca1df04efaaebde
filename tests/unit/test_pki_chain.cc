// Chain validation reasons, the signer's approval rule and events, renewal
// thresholds and the CA bundle across a CA refresh.
#include <boost/test/unit_test.hpp>

#include "chain_validation.h"
#include "csr.h"
#include "rsa_keys.h"
#include "test_pki_support.h"

using namespace pkitest;

namespace {

size_t CountEvents(const PkiEventLog& log, PkiEventKind kind) {
  size_t n = 0;
  for (const auto& e : log) n += e.kind == kind;
  return n;
}

ChainResult Check(const Certificate& leaf, const std::vector<Certificate>& anchors, int64_t at,
                  const std::string& id) {
  return ValidateChain(leaf, {}, anchors, at, id);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pki_chain)

BOOST_AUTO_TEST_CASE(valid_node_certificates_pass_with_their_ike_id) {
  SmallCluster cluster(2);
  for (const auto& node : cluster.nodes) {
    for (int64_t at :
         {node.Cert()->notBefore, node.Cert()->notBefore + 2 * kYear, node.Cert()->notAfter}) {
      auto r = Check(*node.Cert(), cluster.signer.Bundle(), at, node.IkeId());
      BOOST_CHECK_MESSAGE(r.Ok(), r.detail);
    }
  }
}

BOOST_AUTO_TEST_CASE(each_failure_has_its_reason) {
  SmallCluster cluster(2);
  SmallCluster foreign(1, kInstallEpoch, kSeed + 1);  // same CA name, other key
  const Certificate& node = cluster.NodeCert(0);
  const auto bundle = cluster.signer.Bundle();
  const int64_t day = kInstallEpoch + kDay;

  BOOST_CHECK(Check(node, bundle, node.notAfter + 1, "").error == ChainError::kExpired);
  BOOST_CHECK(Check(node, bundle, node.notBefore - 1, "").error == ChainError::kNotYetValid);
  BOOST_CHECK(Check(foreign.NodeCert(0), bundle, day, "").error == ChainError::kUnknownIssuer);
  BOOST_CHECK(Check(node, foreign.signer.Bundle(), day, "").error == ChainError::kUnknownIssuer);

  // The other node's ID, and a name that is neither CN nor SAN.
  auto mismatch = Check(node, bundle, day, cluster.nodes[1].IkeId());
  BOOST_CHECK(mismatch.error == ChainError::kIdMismatch);
  BOOST_CHECK_MESSAGE(mismatch.detail.find(cluster.nodes[1].SystemId()) != std::string::npos,
                      mismatch.detail);
  BOOST_CHECK(Check(node, bundle, day, "@worker-0").error == ChainError::kIdMismatch);

  Bytes tampered = node.der;
  tampered[tampered.size() - 1] ^= 0x80;
  ParseError error;
  auto bad = ParseCertificate(tampered, &error);
  BOOST_REQUIRE(bad);
  BOOST_CHECK(Check(*bad, bundle, day, "").error == ChainError::kBadSignature);

  // A certificate signed by a node: the node is no CA.
  CertificateSpec spec;
  spec.serial = {0x01};
  spec.subjectCn = "rogue";
  spec.dnsNames = {"rogue"};
  spec.notBefore = kInstallEpoch;
  spec.notAfter = kInstallEpoch + kYear;
  spec.subjectKey = CryptoPP::RSA::PublicKey(cluster.nodes[1].Key());
  auto rogue = ParseCertificate(BuildCertificate(spec, &node, cluster.nodes[0].Key()), &error);
  BOOST_REQUIRE(rogue);
  BOOST_CHECK(IsSignedBy(*rogue, node.publicKey));
  auto notCa = ValidateChain(*rogue, {node}, bundle, day, "@rogue");
  BOOST_CHECK_MESSAGE(notCa.error == ChainError::kNotCa, ChainErrorName(notCa.error));

  // An expired CA makes the chain fail even while the leaf is valid.
  BOOST_CHECK(Check(node, bundle, cluster.Ca().notAfter + 1, "").error == ChainError::kExpired);
}

BOOST_AUTO_TEST_CASE(the_signer_approves_only_the_node_itself) {
  SmallCluster cluster(1);
  NodeEnrollment intruder("worker-9", "sys-9", kSeed);
  const size_t issuedBefore = CountEvents(cluster.events, PkiEventKind::kCertIssued);

  for (const std::string& requester :
       {std::string("system:ovn-node:worker-0"), std::string("system:serviceaccount:default:x"),
        std::string("system:ovn-node:worker-9x"), std::string("")}) {
    auto submission = intruder.PrepareCsr(kInstallEpoch + kDay, &cluster.events, requester);
    auto decision = cluster.signer.Sign(submission, kInstallEpoch + kDay);
    BOOST_CHECK(!decision.approved);
    BOOST_CHECK(!decision.certificate);
    BOOST_CHECK_MESSAGE(decision.reason.find("system:ovn-node:worker-9") != std::string::npos,
                        decision.reason);
    const PkiEvent& last = cluster.events.back();
    BOOST_CHECK(last.kind == PkiEventKind::kCsrDenied);
    BOOST_CHECK_EQUAL(last.node, "worker-9");
    BOOST_CHECK_EQUAL(last.time, kInstallEpoch + kDay);
    BOOST_CHECK_MESSAGE(last.detail.find("requester " + requester) != std::string::npos,
                        last.detail);
  }
  BOOST_CHECK_EQUAL(CountEvents(cluster.events, PkiEventKind::kCertIssued), issuedBefore);

  auto own = intruder.PrepareCsr(kInstallEpoch + 2 * kDay, &cluster.events);
  auto approved = cluster.signer.Sign(own, kInstallEpoch + 2 * kDay);
  BOOST_REQUIRE(approved.approved);
  BOOST_CHECK_EQUAL(approved.certificate->subjectCn, "sys-9");
  BOOST_CHECK(intruder.Install(*approved.certificate));
  BOOST_CHECK(cluster.events.back().kind == PkiEventKind::kCertIssued);
  BOOST_CHECK(cluster.events[cluster.events.size() - 2].kind == PkiEventKind::kCsrApproved);
}

BOOST_AUTO_TEST_CASE(a_csr_with_a_broken_self_signature_is_denied) {
  SmallCluster cluster(1);
  auto submission = cluster.nodes[0].PrepareCsr(kInstallEpoch, nullptr);
  submission.csrDer[submission.csrDer.size() - 5] ^= 0x10;
  auto decision = cluster.signer.Sign(submission, kInstallEpoch);
  BOOST_CHECK(!decision.approved);
  BOOST_CHECK_MESSAGE(decision.reason.find("signature") != std::string::npos, decision.reason);

  submission.csrDer.resize(40);
  decision = cluster.signer.Sign(submission, kInstallEpoch);
  BOOST_CHECK(!decision.approved);
  BOOST_CHECK_MESSAGE(decision.reason.find("does not parse") != std::string::npos, decision.reason);
}

BOOST_AUTO_TEST_CASE(a_certificate_for_another_key_is_not_installed) {
  SmallCluster cluster(2);
  cluster.nodes[0].PrepareCsr(kInstallEpoch, nullptr);
  BOOST_CHECK(!cluster.nodes[0].Install(cluster.NodeCert(1)));
}

BOOST_AUTO_TEST_CASE(renewal_starts_when_fewer_than_15770000_seconds_remain) {
  SmallCluster cluster(1);
  NodeEnrollment& node = cluster.nodes[0];
  const int64_t threshold = node.Cert()->notAfter - kRenewBeforeExpirySeconds;
  BOOST_CHECK(!node.NeedsRenewal(threshold));
  BOOST_CHECK(node.NeedsRenewal(threshold + 1));
  const std::string oldSerial = node.Cert()->SerialHex();
  BOOST_CHECK(StartIpsecPod(node, cluster.signer, threshold, &cluster.events) ==
              PodStartOutcome::kCertificateKept);
  BOOST_CHECK_EQUAL(node.Cert()->SerialHex(), oldSerial);
  BOOST_CHECK(StartIpsecPod(node, cluster.signer, threshold + 1, &cluster.events) ==
              PodStartOutcome::kRenewed);
  BOOST_CHECK_NE(node.Cert()->SerialHex(), oldSerial);
  BOOST_CHECK_EQUAL(node.KeyGeneration(), 2);  // a new key, as the pod makes one per request
  BOOST_CHECK_EQUAL(node.Cert()->notBefore, threshold + 1);
}

BOOST_AUTO_TEST_CASE(a_refreshed_ca_stays_in_the_bundle_until_it_expires) {
  SmallCluster cluster(1);
  NodeEnrollment& node = cluster.nodes[0];
  // Renew at 4.5 years with CA 1, then replace the CA at 8 years (80 % of
  // its 10-year validity comes before the 9-year refresh age).
  const int64_t renewal = node.Cert()->notAfter - kRenewBeforeExpirySeconds + 1;
  BOOST_REQUIRE(StartIpsecPod(node, cluster.signer, renewal, &cluster.events) ==
                PodStartOutcome::kRenewed);
  const Certificate signedByFirst = *node.Cert();
  const int64_t refresh = cluster.signer.RefreshTime();
  BOOST_CHECK_EQUAL(refresh, kInstallEpoch + 8 * kYear);
  cluster.signer.CreateCa(refresh);
  cluster.signer.RetireExpiredCas(refresh);
  BOOST_REQUIRE_EQUAL(cluster.signer.Bundle().size(), 2u);
  BOOST_CHECK_EQUAL(cluster.signer.Current().generation, 2);
  // Newest first, as ca-bundle.crt lists them.
  BOOST_CHECK(cluster.signer.Bundle().front().der == cluster.signer.Current().cert.der);
  BOOST_CHECK(Check(signedByFirst, cluster.signer.Bundle(), refresh, node.IkeId()).Ok());

  // The next certificate comes from the new CA and chains to it alone.
  BOOST_REQUIRE(StartIpsecPod(node, cluster.signer, signedByFirst.notAfter - kDay,
                              &cluster.events) == PodStartOutcome::kRenewed);
  BOOST_CHECK(
      Check(*node.Cert(), {cluster.signer.Current().cert}, signedByFirst.notAfter, node.IkeId())
          .Ok());

  const int64_t firstCaEnd = cluster.signer.Generations().front().cert.notAfter;
  cluster.signer.RetireExpiredCas(firstCaEnd - 1);
  BOOST_CHECK_EQUAL(cluster.signer.Bundle().size(), 2u);
  cluster.signer.RetireExpiredCas(firstCaEnd);
  BOOST_CHECK_EQUAL(cluster.signer.Bundle().size(), 1u);
  BOOST_CHECK(cluster.events.back().kind == PkiEventKind::kCaRetired);
  BOOST_CHECK(cluster.signer.Bundle().front().der == cluster.signer.Current().cert.der);
}

BOOST_AUTO_TEST_CASE(a_certificate_can_outlive_its_ca) {
  SmallCluster cluster(1);
  // Just before the refresh, CA 1 has two years left; the certificate still
  // gets five, and its chain breaks when the CA expires.
  const int64_t late = kInstallEpoch + 8 * kYear - kDay;
  auto submission = cluster.nodes[0].PrepareCsr(late, nullptr);
  auto decision = cluster.signer.Sign(submission, late);
  BOOST_REQUIRE(decision.approved);
  BOOST_CHECK_EQUAL(decision.certificate->notAfter, late + 5 * kYear);
  BOOST_CHECK_MESSAGE(
      cluster.events.back().detail.find("after its CA expires") != std::string::npos,
      cluster.events.back().detail);
  const std::string id = cluster.nodes[0].IkeId();
  BOOST_CHECK(Check(*decision.certificate, {cluster.Ca()}, cluster.Ca().notAfter, id).Ok());
  BOOST_CHECK(Check(*decision.certificate, {cluster.Ca()}, cluster.Ca().notAfter + 1, id).error ==
              ChainError::kExpired);
}

BOOST_AUTO_TEST_SUITE_END()
