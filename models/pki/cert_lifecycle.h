// The certificate life of a cluster on ns-3's scheduler: install at a
// chosen wall-clock epoch, IPsec pod (re)starts at caller-given times (each
// one checks and, if due, renews the node's certificate), the operator's CA
// refresh at 9 years and the retirement of old CAs, and periodic IKE-like
// checks that validate every node's certificate as a peer would. Only the
// events themselves cost wall time, so ten simulated years run in about a
// second.
//
// Simulated wall clock = installEpoch + (Simulator::Now() - time of Schedule()).
// ns-3 time is int64 nanoseconds: good for about 292 years.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "chain_validation.h"
#include "node_enrollment.h"
#include "operator_signer.h"
#include "pki_events.h"
#include "x509_time.h"

namespace ipsecsim::pki {

struct LifecycleNode {
  std::string name;
  std::string systemId;
  // Seconds after install when the node's IPsec pod starts again (upgrades,
  // reboots). The pod also starts at install.
  std::vector<int64_t> podRestarts;
};

struct LifecycleConfig {
  int64_t installEpoch = 1767225600;  // 2026-01-01T00:00:00Z
  int64_t duration = 10 * kYear;
  int64_t ikeCheckInterval = kDay;  // 0 disables the periodic checks
  SignerConfig signer;              // signer.seed also seeds the node keys
  std::vector<LifecycleNode> nodes;
};

// first, first + period, ... up to and including `until`.
std::vector<int64_t> EveryPeriod(int64_t first, int64_t period, int64_t until);

// One moment a node's certificate was put to use.
struct CertUse {
  int64_t time = 0;
  std::string occasion;  // "pod-start" or "ike-check"
  std::string node;
  const Certificate* cert = nullptr;  // nullptr when the node has none
  ChainResult result;
};

class CertLifecycle {
 public:
  explicit CertLifecycle(LifecycleConfig config);
  CertLifecycle(const CertLifecycle&) = delete;
  CertLifecycle& operator=(const CertLifecycle&) = delete;

  // Called for every use, before the lifecycle moves on.
  void SetUseObserver(std::function<void(const CertUse&)> observer);
  // Schedules install, pod starts and checks on the running ns-3 simulator.
  void Schedule();
  // Schedule(), run until the configured duration, then Simulator::Destroy().
  void RunAlone();

  int64_t WallClock() const;
  const PkiEventLog& Events() const { return events_; }
  const OperatorSigner& Signer() const { return signer_; }
  const std::vector<NodeEnrollment>& Nodes() const { return nodes_; }
  uint64_t Uses() const { return uses_; }
  uint64_t Rejections() const { return rejections_; }

 private:
  void Install();
  void PodStart(size_t node);
  void RefreshCa();
  void RetireOldCas();
  void IkeCheck();
  void Use(size_t node, const char* occasion);
  void At(int64_t secondsAfterInstall, std::function<void()> action);

  LifecycleConfig config_;
  PkiEventLog events_;
  OperatorSigner signer_;
  std::vector<NodeEnrollment> nodes_;
  std::function<void(const CertUse&)> observer_;
  SignatureMemo signatures_;
  int64_t startNs_ = 0;
  uint64_t uses_ = 0;
  uint64_t rejections_ = 0;
};

}  // namespace ipsecsim::pki
