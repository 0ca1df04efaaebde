// A node's side of IPsec certificate enrolment: when its IPsec pod starts
// and the certificate is missing or has fewer than 15,770,000 s left, the pod
// makes a new RSA-2048 key and a CSR (CN and SAN DNS = the OVS system-id),
// submits it as system:ovn-node:<node> and installs the issued certificate.
#pragma once

#include <cryptopp/rsa.h>

#include <cstdint>
#include <optional>
#include <string>

#include "certificate.h"
#include "operator_signer.h"
#include "pki_events.h"

namespace ipsecsim::pki {

constexpr int64_t kRenewBeforeExpirySeconds = 15770000;

class NodeEnrollment {
 public:
  NodeEnrollment(std::string nodeName, std::string systemId, uint64_t seed);

  bool NeedsRenewal(int64_t now) const;
  // A fresh key and CSR for the next certificate; logs kCsrSubmitted.
  // `requester` defaults to the node's own identity.
  CsrSubmission PrepareCsr(int64_t now, PkiEventLog* log,
                           std::optional<std::string> requester = std::nullopt);
  // Accepts a certificate for the pending key; false if it is for another key.
  bool Install(const Certificate& cert);

  const std::string& NodeName() const { return nodeName_; }
  const std::string& SystemId() const { return systemId_; }
  std::string IkeId() const { return "@" + systemId_; }  // Libreswan leftid
  const Certificate* Cert() const { return cert_ ? &*cert_ : nullptr; }
  const Bytes& CsrDer() const { return csrDer_; }
  const CryptoPP::RSA::PrivateKey& Key() const { return key_; }
  int KeyGeneration() const { return keyGeneration_; }

 private:
  std::string nodeName_;
  std::string systemId_;
  uint64_t seed_;
  int keyGeneration_ = 0;
  CryptoPP::RSA::PrivateKey key_;         // the installed or pending key
  CryptoPP::RSA::PrivateKey pendingKey_;  // key of the CSR awaiting a certificate
  Bytes csrDer_;
  std::optional<Certificate> cert_;
};

enum class PodStartOutcome { kCertificateKept, kRenewed, kDenied };

// What a node's IPsec pod does at start: check the certificate, renew if due.
PodStartOutcome StartIpsecPod(NodeEnrollment& node, OperatorSigner& signer, int64_t now,
                              PkiEventLog* log);

}  // namespace ipsecsim::pki
