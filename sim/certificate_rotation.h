// The node certificates of a running cluster over the years
// (docs/lifecycle.md, "Certificates over the years"): the network operator's
// PKI controller replaces its CA when it is due, and each node's ovn-keys
// init container, at every IPsec pod start, renews the node's certificate
// when fewer than 15,770,000 s remain, copying the CA bundle's first
// certificate as the one CA the node trusts. Both only happen at those
// moments; nothing renews on a timer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ike_connection.h"
#include "node_enrollment.h"
#include "operator_signer.h"
#include "pki_events.h"

namespace ipsecsim::sim {

class CertificateRotation {
 public:
  // The install-time CA and enrolments; `epochSeconds` is the UNIX time at
  // simulated time 0. All three must outlive this object.
  CertificateRotation(pki::OperatorSigner& signer, std::vector<pki::NodeEnrollment>& nodes,
                      pki::PkiEventLog& log, int64_t epochSeconds);

  // Schedules the PKI controller's CA refreshes and bundle clean-ups.
  void Start();
  // The ovn-keys init container on `node`; a line for the lifecycle log
  // when it changed something ("" otherwise).
  std::string PodStart(uint32_t node);
  // What the node's pluto loads from NSS now: its certificate and key, and
  // the CA it copied (leftcert, rightca=%same).
  ike::IkeIdentity Identity(uint32_t node) const;
  const pki::Certificate& TrustedCa(uint32_t node) const { return trusted_.at(node); }
  int64_t UnixNow() const;
  uint32_t Renewals() const { return renewals_; }
  const pki::OperatorSigner& Signer() const { return signer_; }
  const std::vector<pki::NodeEnrollment>& Nodes() const { return nodes_; }
  // Lines for the lifecycle log from the operator (CA refreshes), taken
  // by the caller as they come.
  void SetOperatorLog(std::function<void(const std::string&)> say) { say_ = std::move(say); }

 private:
  void RefreshCa();
  void ScheduleAt(int64_t unixSeconds, void (CertificateRotation::*what)());
  void RetireExpired();

  pki::OperatorSigner& signer_;
  std::vector<pki::NodeEnrollment>& nodes_;
  pki::PkiEventLog& log_;
  int64_t epochSeconds_;
  std::vector<pki::Certificate> trusted_;  // by node: /etc/openvswitch/keys/ipsec-cacert.pem
  std::function<void(const std::string&)> say_;
  uint32_t renewals_ = 0;
};

}  // namespace ipsecsim::sim
