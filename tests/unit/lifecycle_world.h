// A cluster whose IPsec is driven by the lifecycle control plane, for the
// operator, rollout and upgrade tests.
#pragma once

#include <ns3/core-module.h>

#include <memory>
#include <string>
#include <vector>

#include "cluster_certificates.h"
#include "cluster_lifecycle.h"
#include "cluster_world.h"
#include "ipsec_ike_mesh.h"
#include "pair_state_sampler.h"

namespace ipsecsim::testing {

// The documented enable, `oc patch ... --type=merge` with ipsecConfig mode
// Full; with waitRollout false it ends when the command returns.
inline sim::LifecycleStep EnableFull(bool waitRollout = true) {
  sim::LifecycleStep s;
  s.kind = sim::LifecycleStep::Kind::kMergePatch;
  s.body = R"({"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{"mode":"Full"}}}}})";
  s.waitRollout = waitRollout;
  return s;
}

struct LifecycleWorld {
  std::unique_ptr<sim::ClusterWorld> world;
  std::unique_ptr<harness::ClusterCertificates> certs;
  sim::IkeMesh mesh;
  std::unique_ptr<sim::ClusterLifecycle> lifecycle;
  std::unique_ptr<sim::PairStateSampler> sampler;

  // masters and workers: pool sizes. ipsecConfig: the install-time value
  // (null: absent).
  LifecycleWorld(int masters, int workers, const std::string& version,
                 const nlohmann::json& ipsecConfig, sim::LifecycleConfig config, uint64_t seed) {
    ns3::Names::Clear();
    std::vector<std::string> names;
    for (int i = 0; i < masters; ++i) names.push_back("master-" + std::to_string(i));
    for (int i = 0; i < workers; ++i) names.push_back("worker-" + std::to_string(i));
    certs = std::make_unique<harness::ClusterCertificates>(seed);
    harness::IssueClusterCertificates(names, seed, certs.get());
    sim::WorldConfig wc;
    wc.nodeNames = names;
    world = std::make_unique<sim::ClusterWorld>(wc);
    std::vector<ike::IkeIdentity> ids;
    for (const auto& n : certs->nodes)
      ids.push_back({n.IkeId(), *n.Cert(), n.Key(), certs->signer.Bundle()});
    sim::IkeMeshOptions options;
    options.seed = seed;
    options.epochSeconds = harness::kInstallEpoch;
    mesh = sim::PrepareIkeMesh(*world, ids, options);
    std::vector<uint32_t> m, w;
    for (int i = 0; i < masters; ++i) m.push_back(uint32_t(i));
    for (int i = 0; i < workers; ++i) w.push_back(uint32_t(masters + i));
    config.pools = {m, w};
    config.poolNames = {"master", "worker"};
    config.seed = seed;
    lifecycle = std::make_unique<sim::ClusterLifecycle>(
        *world, mesh, sim::NetworkOperatorConfig(*sim::OcpVersion::Parse(version), ipsecConfig),
        config);
    sampler = std::make_unique<sim::PairStateSampler>(
        *world, mesh, [this](uint32_t n) { return lifecycle->NodeUp(n); });
  }
  ~LifecycleWorld() {
    ns3::Simulator::Destroy();
    ns3::Names::Clear();
  }
  void RunUntil(double seconds) {
    ns3::Simulator::Stop(ns3::Seconds(seconds));
    ns3::Simulator::Run();
    sampler->Finish();
  }
  size_t PairsIn(sim::PairState state) const {
    size_t n = 0;
    for (const auto& p : sampler->Pairs()) n += p.intervals.back().state == state;
    return n;
  }
  size_t PairsEverBlackHoled() const {
    size_t n = 0;
    for (const auto& p : sampler->Pairs()) n += p.everBlackHoled;
    return n;
  }
};

}  // namespace ipsecsim::testing
