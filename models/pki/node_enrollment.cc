#include "node_enrollment.h"

#include "csr.h"
#include "rsa_keys.h"

namespace ipsecsim::pki {

NodeEnrollment::NodeEnrollment(std::string nodeName, std::string systemId, uint64_t seed)
    : nodeName_(std::move(nodeName)), systemId_(std::move(systemId)), seed_(seed) {}

bool NodeEnrollment::NeedsRenewal(int64_t now) const {
  return !cert_ || cert_->notAfter - now < kRenewBeforeExpirySeconds;
}

CsrSubmission NodeEnrollment::PrepareCsr(int64_t now, PkiEventLog* log,
                                         std::optional<std::string> requester) {
  ++keyGeneration_;
  pendingKey_ =
      DeterministicRsaKey(seed_, "node/" + nodeName_ + "/" + std::to_string(keyGeneration_));
  csrDer_ = BuildCsr(pendingKey_, systemId_, {systemId_});
  CsrSubmission submission{nodeName_, requester.value_or(NodeRequester(nodeName_)), csrDer_};
  if (log) {
    log->push_back({now, PkiEventKind::kCsrSubmitted, nodeName_, systemId_, "",
                    "requester " + submission.requester + ", key generation " +
                        std::to_string(keyGeneration_)});
  }
  return submission;
}

bool NodeEnrollment::Install(const Certificate& cert) {
  const CryptoPP::RSA::PublicKey pending(pendingKey_);
  if (cert.publicKey.GetModulus() != pending.GetModulus() ||
      cert.publicKey.GetPublicExponent() != pending.GetPublicExponent()) {
    return false;
  }
  key_ = pendingKey_;
  cert_ = cert;
  return true;
}

PodStartOutcome StartIpsecPod(NodeEnrollment& node, OperatorSigner& signer, int64_t now,
                              PkiEventLog* log) {
  const Certificate* current = node.Cert();
  const bool renew = node.NeedsRenewal(now);
  if (log) {
    std::string detail = current ? "certificate " + current->SerialHex() + " expires " +
                                       FormatIso8601(current->notAfter)
                                 : "no certificate";
    detail += renew ? ": requesting a new one" : ": kept";
    log->push_back({now, PkiEventKind::kPodStart, node.NodeName(), node.SystemId(),
                    current ? current->SerialHex() : "", detail});
  }
  if (!renew) return PodStartOutcome::kCertificateKept;
  SigningDecision decision = signer.Sign(node.PrepareCsr(now, log), now);
  if (!decision.approved || !node.Install(*decision.certificate)) return PodStartOutcome::kDenied;
  return PodStartOutcome::kRenewed;
}

}  // namespace ipsecsim::pki
