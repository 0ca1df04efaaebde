#include "certificate_rotation.h"

#include <ns3/simulator.h>

#include "x509_time.h"

namespace ipsecsim::sim {

using namespace ns3;

CertificateRotation::CertificateRotation(pki::OperatorSigner& signer,
                                         std::vector<pki::NodeEnrollment>& nodes,
                                         pki::PkiEventLog& log, int64_t epochSeconds)
    : signer_(signer), nodes_(nodes), log_(log), epochSeconds_(epochSeconds) {
  // At install every node copied the only CA there was.
  trusted_.assign(nodes_.size(), signer_.Bundle().front());
}

int64_t CertificateRotation::UnixNow() const {
  return epochSeconds_ + int64_t(Simulator::Now().GetSeconds());
}

void CertificateRotation::ScheduleAt(int64_t unixSeconds, void (CertificateRotation::*what)()) {
  const int64_t wait = std::max<int64_t>(0, unixSeconds - UnixNow());
  Simulator::Schedule(Seconds(double(wait)), what, this);
}

void CertificateRotation::Start() {
  ScheduleAt(signer_.RefreshTime(), &CertificateRotation::RefreshCa);
}

// The controller re-syncs often (its informers, and CNO's reconcile), so
// the refresh is taken to happen at the moment it is due (assumption: the
// controller's delay after that moment is not modelled).
void CertificateRotation::RefreshCa() {
  const int64_t oldExpiry = signer_.Current().cert.notAfter;
  signer_.CreateCa(UnixNow());
  if (say_)
    say_("network operator: signer-ca is past its refresh time; CA generation " +
         std::to_string(signer_.Current().generation) + " signs from now on (valid until " +
         pki::FormatIso8601(signer_.Current().cert.notAfter) +
         "); the signer-ca bundle keeps the old CA until it expires");
  ScheduleAt(oldExpiry, &CertificateRotation::RetireExpired);
  ScheduleAt(signer_.RefreshTime(), &CertificateRotation::RefreshCa);
}

void CertificateRotation::RetireExpired() {
  const size_t before = signer_.Bundle().size();
  signer_.RetireExpiredCas(UnixNow());
  if (say_ && signer_.Bundle().size() < before)
    say_("network operator: an expired CA leaves the signer-ca bundle");
}

// cluster-network-operator release-4.15 aaa0f9330 (the same on release-4.14,
// 4.16 and master 2a6a57fef) ipsec-host.yaml and ipsec-containerized.yaml,
// init container ovn-keys: `if ! openssl x509 -noout -dates -checkend
// 15770000 -in $cert_pem; then` a new key, a CSR, the signed certificate,
// and `openssl x509 -in /signer-ca/ca-bundle.crt ... -out ipsec-cacert.pem`
// (openssl x509 reads the bundle's first certificate, the newest CA), `fi`.
// The CA is copied only when the certificate is renewed.
std::string CertificateRotation::PodStart(uint32_t node) {
  pki::NodeEnrollment& n = nodes_.at(node);
  const int64_t now = UnixNow();
  const pki::PodStartOutcome outcome = pki::StartIpsecPod(n, signer_, now, &log_);
  if (outcome == pki::PodStartOutcome::kCertificateKept) return "";
  if (outcome == pki::PodStartOutcome::kDenied)
    return "ovn-keys: the CSR was denied; the node keeps its certificate";
  ++renewals_;
  trusted_[node] = signer_.Bundle().front();
  const std::string generation = std::to_string(signer_.GenerationOf(trusted_[node]));
  return "ovn-keys: certificate renewed by CA generation " + generation + " (serial " +
         n.Cert()->SerialHex().substr(0, 8) + "..., valid until " +
         pki::FormatIso8601(n.Cert()->notAfter) + "); the node trusts CA generation " + generation +
         " alone";
}

ike::IkeIdentity CertificateRotation::Identity(uint32_t node) const {
  const pki::NodeEnrollment& n = nodes_.at(node);
  return ike::IkeIdentity{n.IkeId(), *n.Cert(), n.Key(), {trusted_.at(node)}};
}

}  // namespace ipsecsim::sim
