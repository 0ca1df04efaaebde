// A scenario with a `lifecycle:` section on the simulated cluster: the
// control plane drives every node's IPsec from install through the
// procedure, the pair sampler reads the kernels, the probes measure loss,
// and the run stops once the procedure has finished and settled.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "certificate_rotation.h"
#include "cluster_certificates.h"
#include "cluster_lifecycle.h"
#include "external_pair_sampler.h"
#include "external_setup.h"
#include "ike_connection.h"
#include "lifecycle_report.h"
#include "pair_state_sampler.h"
#include "probe_mesh.h"
#include "report.h"
#include "scenario.h"
#include "wire_oracle.h"

namespace ipsecsim::harness {

class LifecycleRun {
 public:
  // `external`: the user's MachineConfigs, read (nullptr: none).
  // `certificates` (the install-time ones) change as the cluster lives on.
  LifecycleRun(const Scenario& sc, uint64_t seed, sim::ClusterWorld& world,
               const std::vector<ike::IkeIdentity>& identities, ClusterCertificates& certificates,
               const ExternalSetup* external);

  // Schedules everything. Stops at `duration` if given (> 0); otherwise once
  // the procedure has finished, lifecycle.settle has passed and no flow is
  // still sending (`flowsEnd`).
  void Start(double duration, double flowsEnd);
  const sim::IkeMesh& Mesh() const { return mesh_; }
  std::string CurrentStep() const { return lifecycle_->CurrentStep(); }
  const sim::ClusterLifecycle& Lifecycle() const { return *lifecycle_; }
  const sim::CertificateRotation& Certificates() const { return certificates_; }
  // The scenario's cluster as the procedure left it: its release, IPsec
  // mode and encapsulation from the network operator's final configuration.
  ClusterSpec EndCluster() const;
  // When the run will stop, once known: the duration, or the procedure's
  // end plus lifecycle.settle (and no flow still sending); 0 while unknown.
  double ExpectedEnd(double duration, double flowsEnd) const;
  // The external hosts' kernels, once they exist: each node's pair with
  // each host is sampled beside the node pairs.
  void WatchExternalHosts(std::vector<sim::ExternalPairSampler::Host> hosts);
  LifecycleReport Collect(const WireOracle& oracle);
  std::vector<ExpectationResult> Check(const LifecycleReport& report) const;

 private:
  void WatchForEnd(double flowsEnd);
  sim::QuietUntil Quiet() const;
  void CollectCertificates(LifecycleReport& r) const;
  ProbePairResult ProbeResult(const sim::ProbeMesh::Pair& pair, const WireOracle& oracle) const;
  std::string WindowVerdict(const sim::ProbeMesh::Pair& pair, double from, double until) const;
  std::string MetricValue(const std::string& metric, const LifecycleReport& report) const;

  const Scenario& sc_;
  sim::ClusterWorld& world_;
  sim::IkeMesh mesh_;
  sim::CertificateRotation certificates_;
  std::unique_ptr<sim::ClusterLifecycle> lifecycle_;
  std::unique_ptr<sim::PairStateSampler> sampler_;
  std::unique_ptr<sim::ExternalPairSampler> externalSampler_;
  std::unique_ptr<sim::ProbeMesh> probes_;
  const ExternalSetup* external_;
  const WireOracle* oracle_ = nullptr;
};

}  // namespace ipsecsim::harness
