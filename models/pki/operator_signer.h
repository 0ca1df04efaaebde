// The cluster network operator's certificate signer: a self-signed CA
// (CN ovn-kubernetes-signer, 10 years, replaced by a new CA at 8 years) that
// approves node CSRs from system:ovn-node:<node> and issues 5-year
// certificates copying the CSR's subject CN and DNS SANs.
#pragma once

#include <cryptopp/rsa.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "certificate.h"
#include "pki_events.h"
#include "x509_time.h"

namespace ipsecsim::pki {

struct SignerConfig {
  uint64_t seed = 1;
  std::string caCommonName = "ovn-kubernetes-signer";
  int64_t caLifetime = 10 * kYear;
  int64_t caRefreshAge = 9 * kYear;
  int64_t certLifetime = 5 * kYear;
};

struct CsrSubmission {
  std::string nodeName;
  std::string requester;  // the Kubernetes user that created the CSR object
  Bytes csrDer;
};

struct SigningDecision {
  bool approved = false;
  std::string reason;  // why it was denied
  std::optional<Certificate> certificate;
};

std::string NodeRequester(const std::string& nodeName);  // "system:ovn-node:<node>"

class OperatorSigner {
 public:
  struct CaGeneration {
    int generation = 0;  // 1 for the install-time CA, then 2, 3, ...
    Certificate cert;
    CryptoPP::RSA::PrivateKey key;
  };

  // `log` may be null; it must outlive the signer.
  OperatorSigner(SignerConfig config, PkiEventLog* log);

  // Creates a new CA that becomes the signing CA; the previous one stays in
  // the bundle until it expires (RetireExpiredCas).
  void CreateCa(int64_t now);
  bool HasCa() const { return !cas_.empty(); }
  int64_t RefreshTime() const;  // when the current CA is due for replacement
  // Drops (and logs) older CAs that have expired.
  void RetireExpiredCas(int64_t now);

  SigningDecision Sign(const CsrSubmission& submission, int64_t now);

  const CaGeneration& Current() const { return cas_.back(); }
  // Every CA a peer must trust, newest first.
  std::vector<Certificate> Bundle() const;
  const std::vector<CaGeneration>& Generations() const { return cas_; }
  // The generation of a CA still in the bundle (0: none of them).
  int GenerationOf(const Certificate& ca) const;
  const SignerConfig& Config() const { return config_; }

 private:
  SigningDecision Deny(const CsrSubmission& submission, const std::string& subject,
                       std::string reason, int64_t now);
  Bytes NextSerial();
  void Log(PkiEvent event);

  SignerConfig config_;
  PkiEventLog* log_;
  std::vector<CaGeneration> cas_;  // oldest first
  int generationsCreated_ = 0;
  uint64_t serialsIssued_ = 0;
};

}  // namespace ipsecsim::pki
