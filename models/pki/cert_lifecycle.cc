#include "cert_lifecycle.h"

#include <ns3/nstime.h>
#include <ns3/simulator.h>

namespace ipsecsim::pki {

std::vector<int64_t> EveryPeriod(int64_t first, int64_t period, int64_t until) {
  std::vector<int64_t> times;
  for (int64_t t = first; period > 0 && t <= until; t += period) times.push_back(t);
  return times;
}

CertLifecycle::CertLifecycle(LifecycleConfig config)
    : config_(std::move(config)), signer_(config_.signer, &events_) {
  for (const auto& node : config_.nodes) {
    nodes_.emplace_back(node.name, node.systemId, config_.signer.seed);
  }
}

void CertLifecycle::SetUseObserver(std::function<void(const CertUse&)> observer) {
  observer_ = std::move(observer);
}

int64_t CertLifecycle::WallClock() const {
  return config_.installEpoch + (ns3::Simulator::Now().GetNanoSeconds() - startNs_) / 1000000000;
}

void CertLifecycle::At(int64_t secondsAfterInstall, std::function<void()> action) {
  const int64_t targetNs = startNs_ + secondsAfterInstall * 1000000000;
  const int64_t delayNs = targetNs - ns3::Simulator::Now().GetNanoSeconds();
  ns3::Simulator::Schedule(ns3::NanoSeconds(delayNs < 0 ? 0 : delayNs), std::move(action));
}

void CertLifecycle::Schedule() {
  startNs_ = ns3::Simulator::Now().GetNanoSeconds();
  At(0, [this] { Install(); });
  for (size_t i = 0; i < nodes_.size(); ++i) {
    for (int64_t t : config_.nodes[i].podRestarts) {
      if (t > 0 && t <= config_.duration) At(t, [this, i] { PodStart(i); });
    }
  }
  if (config_.ikeCheckInterval > 0) At(config_.ikeCheckInterval, [this] { IkeCheck(); });
}

void CertLifecycle::RunAlone() {
  Schedule();
  ns3::Simulator::Stop(ns3::NanoSeconds(config_.duration * 1000000000 + 1));
  ns3::Simulator::Run();
  ns3::Simulator::Destroy();
}

void CertLifecycle::Install() {
  signer_.CreateCa(WallClock());
  At(signer_.RefreshTime() - config_.installEpoch, [this] { RefreshCa(); });
  for (size_t i = 0; i < nodes_.size(); ++i) PodStart(i);
}

void CertLifecycle::RefreshCa() {
  const int64_t previousExpiry = signer_.Current().cert.notAfter;
  signer_.CreateCa(WallClock());
  // The old CA stays in the bundle until it expires.
  At(previousExpiry - config_.installEpoch, [this] { RetireOldCas(); });
  At(signer_.RefreshTime() - config_.installEpoch, [this] { RefreshCa(); });
}

void CertLifecycle::RetireOldCas() { signer_.RetireExpiredCas(WallClock()); }

void CertLifecycle::PodStart(size_t node) {
  StartIpsecPod(nodes_[node], signer_, WallClock(), &events_);
  Use(node, "pod-start");
}

void CertLifecycle::IkeCheck() {
  for (size_t i = 0; i < nodes_.size(); ++i) Use(i, "ike-check");
  At(WallClock() - config_.installEpoch + config_.ikeCheckInterval, [this] { IkeCheck(); });
}

void CertLifecycle::Use(size_t node, const char* occasion) {
  const NodeEnrollment& n = nodes_[node];
  CertUse use;
  use.time = WallClock();
  use.occasion = occasion;
  use.node = n.NodeName();
  use.cert = n.Cert();
  if (use.cert) {
    use.result = ValidateChain(*use.cert, {}, signer_.Bundle(), use.time, n.IkeId(), &signatures_);
  } else {
    use.result = {ChainError::kUnknownIssuer, "the node has no certificate"};
  }
  ++uses_;
  if (!use.result.Ok()) {
    ++rejections_;
    events_.push_back({use.time, PkiEventKind::kCertRejected, n.NodeName(), n.SystemId(),
                       use.cert ? use.cert->SerialHex() : "",
                       std::string(occasion) + ": " + ChainErrorName(use.result.error) + ": " +
                           use.result.detail});
  }
  if (observer_) observer_(use);
}

}  // namespace ipsecsim::pki
