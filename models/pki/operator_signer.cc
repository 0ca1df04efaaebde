#include "operator_signer.h"

#include <algorithm>

#include "csr.h"
#include "deterministic_rng.h"
#include "rsa_keys.h"

namespace ipsecsim::pki {

std::string NodeRequester(const std::string& nodeName) { return "system:ovn-node:" + nodeName; }

OperatorSigner::OperatorSigner(SignerConfig config, PkiEventLog* log)
    : config_(std::move(config)), log_(log) {}

void OperatorSigner::Log(PkiEvent event) {
  if (log_) log_->push_back(std::move(event));
}

Bytes OperatorSigner::NextSerial() {
  // 16 random bytes, positive and never starting with a zero byte, so every
  // serial encodes in exactly 16 content bytes.
  DeterministicRng rng(config_.seed, "serial/" + std::to_string(++serialsIssued_));
  Bytes serial(16);
  rng.GenerateBlock(serial.data(), serial.size());
  serial[0] = uint8_t((serial[0] & 0x7F) | 0x40);
  return serial;
}

void OperatorSigner::CreateCa(int64_t now) {
  CaGeneration ca;
  ca.generation = ++generationsCreated_;
  ca.key = DeterministicRsaKey(config_.seed, "ca/" + std::to_string(ca.generation));
  CertificateSpec spec;
  spec.serial = NextSerial();
  spec.subjectCn = config_.caCommonName;
  spec.notBefore = now;
  spec.notAfter = now + config_.caLifetime;
  spec.isCa = true;
  spec.subjectKey = CryptoPP::RSA::PublicKey(ca.key);
  ParseError error;
  auto cert = ParseCertificate(BuildCertificate(spec, nullptr, ca.key), &error);
  if (!cert) throw std::logic_error("ipsecsim: CA certificate does not parse: " + error.Describe());
  ca.cert = std::move(*cert);
  Log({now, PkiEventKind::kCaCreated, "", ca.cert.subjectCn, ca.cert.SerialHex(),
       "generation " + std::to_string(ca.generation) + ", valid until " +
           FormatIso8601(ca.cert.notAfter)});
  cas_.push_back(std::move(ca));
}

// library-go certrotation needNewSigningCertKeyPair (vendored in
// cluster-network-operator release-4.15 aaa0f9330, signer.go): a new CA once
// the current one is past its refresh age or past 80 % of its validity,
// whichever comes first: 8 years for the operator's 10-year CA.
int64_t OperatorSigner::RefreshTime() const {
  const Certificate& ca = Current().cert;
  const int64_t validity = ca.notAfter - ca.notBefore;
  return std::min(ca.notBefore + config_.caRefreshAge, ca.notAfter - validity / 5);
}

// library-go certrotation manageCABundleConfigMap: the bundle keeps every
// CA until it expires (crypto.FilterExpiredCerts keeps now < notAfter).
void OperatorSigner::RetireExpiredCas(int64_t now) {
  for (size_t i = 0; i + 1 < cas_.size();) {
    if (now >= cas_[i].cert.notAfter) {
      Log({now, PkiEventKind::kCaRetired, "", cas_[i].cert.subjectCn, cas_[i].cert.SerialHex(),
           "generation " + std::to_string(cas_[i].generation) +
               ": expired, dropped from the CA bundle"});
      cas_.erase(cas_.begin() + long(i));
    } else {
      ++i;
    }
  }
}

int OperatorSigner::GenerationOf(const Certificate& ca) const {
  for (const CaGeneration& g : cas_)
    if (g.cert.der == ca.der) return g.generation;
  return 0;
}

std::vector<Certificate> OperatorSigner::Bundle() const {
  std::vector<Certificate> bundle;
  for (auto it = cas_.rbegin(); it != cas_.rend(); ++it) bundle.push_back(it->cert);
  return bundle;
}

SigningDecision OperatorSigner::Deny(const CsrSubmission& submission, const std::string& subject,
                                     std::string reason, int64_t now) {
  Log({now, PkiEventKind::kCsrDenied, submission.nodeName, subject, "",
       "requester " + submission.requester + ": " + reason});
  SigningDecision decision;
  decision.reason = std::move(reason);
  return decision;
}

SigningDecision OperatorSigner::Sign(const CsrSubmission& submission, int64_t now) {
  if (!HasCa()) throw std::logic_error("ipsecsim: the signer has no CA yet");
  ParseError parseError;
  auto csr = ParseCsr(submission.csrDer, &parseError);
  if (!csr) return Deny(submission, "", "CSR does not parse: " + parseError.Describe(), now);
  if (submission.requester != NodeRequester(submission.nodeName)) {
    return Deny(
        submission, csr->subjectCn,
        "only " + NodeRequester(submission.nodeName) + " may request this node's certificate", now);
  }
  if (!csr->SelfSignatureValid()) {
    return Deny(submission, csr->subjectCn, "CSR signature does not verify", now);
  }
  if (csr->subjectCn.empty()) return Deny(submission, "", "CSR has no common name", now);
  if (csr->keyBits < kRsaBits) {
    return Deny(submission, csr->subjectCn,
                "RSA key of " + std::to_string(csr->keyBits) + " bits is too small", now);
  }
  Log({now, PkiEventKind::kCsrApproved, submission.nodeName, csr->subjectCn, "",
       "requester " + submission.requester});

  CaGeneration& ca = cas_.back();
  CertificateSpec spec;
  spec.serial = NextSerial();
  spec.subjectCn = csr->subjectCn;
  spec.dnsNames = csr->requested.dnsNames;
  spec.notBefore = now;
  // Five years whatever the CA has left (cluster-network-operator
  // release-4.15 pkg/controller/signer/signer.go newCertificateTemplate):
  // a certificate can outlive the CA that signed it.
  spec.notAfter = now + config_.certLifetime;
  spec.subjectKey = csr->publicKey;
  auto cert = ParseCertificate(BuildCertificate(spec, &ca.cert, ca.key), &parseError);
  if (!cert) throw std::logic_error("ipsecsim: issued certificate does not parse");
  Log({now, PkiEventKind::kCertIssued, submission.nodeName, cert->subjectCn, cert->SerialHex(),
       "CA generation " + std::to_string(ca.generation) + ", valid " +
           FormatIso8601(cert->notBefore) + " to " + FormatIso8601(cert->notAfter) +
           (cert->notAfter > ca.cert.notAfter ? " (after its CA expires)" : "")});
  SigningDecision decision;
  decision.approved = true;
  decision.certificate = std::move(cert);
  return decision;
}

}  // namespace ipsecsim::pki
