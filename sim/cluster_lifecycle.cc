#include "cluster_lifecycle.h"

#include <ns3/core-module.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "deterministic_rng.h"

namespace ipsecsim::sim {

using namespace ns3;

std::string LifecycleStep::Describe() const {
  switch (kind) {
    case Kind::kMergePatch:
      return "oc patch networks.operator.openshift.io cluster --type=merge -p '" + body + "'";
    case Kind::kJsonPatch:
      return "oc patch networks.operator.openshift.io cluster --type=json -p '" + body + "'";
    case Kind::kDeleteDaemonSets: {
      std::string list;
      for (const std::string& n : names) list += " " + n;
      return "oc delete daemonset -n openshift-ovn-kubernetes" + list;
    }
    case Kind::kUpgrade:
      break;
  }
  return "update the cluster to " + to.ToString();
}

ClusterLifecycle::ClusterLifecycle(ClusterWorld& world, IkeMesh& mesh, NetworkOperatorConfig config,
                                   LifecycleConfig lifecycle)
    : world_(world),
      mesh_(mesh),
      config_(std::move(config)),
      lifecycle_(std::move(lifecycle)),
      nodes_(world.NodeCount()) {}

void ClusterLifecycle::Say(const std::string& text) {
  log_.push_back({Simulator::Now().GetSeconds(), text});
}

double ClusterLifecycle::Jitter(double max) {
  if (max <= 0) return 0;
  // One stream per scenario seed, drawn in event order: the same seed, the
  // same timings.
  pki::DeterministicRng rng(lifecycle_.seed, "lifecycle/" + std::to_string(draws_++));
  uint8_t b[4];
  rng.GenerateBlock(b, sizeof b);
  const uint32_t v = uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
  return max * (double(v) / 4294967296.0);
}

uint32_t ClusterLifecycle::DaemonSetBatch() const {
  const std::string& m = lifecycle_.timing.daemonSetMaxUnavailable;
  const double n = world_.NodeCount();
  if (!m.empty() && m.back() == '%') {
    return std::max<uint32_t>(1,
                              uint32_t(std::ceil(n * std::stod(m.substr(0, m.size() - 1)) / 100)));
  }
  return std::max(1, std::stoi(m));
}

std::vector<std::string> ClusterLifecycle::DaemonSets() const {
  std::vector<std::string> out;
  for (const auto& [name, version] : daemonSets_) out.push_back(name);
  return out;
}

std::string ClusterLifecycle::ActiveDaemonSet(uint32_t node) const {
  if (daemonSets_.count(kDaemonSetLegacy)) return kDaemonSetLegacy;
  if (nodes_[node].hostLibreswan && daemonSets_.count(kDaemonSetHost)) return kDaemonSetHost;
  if (daemonSets_.count(kDaemonSetContainerized)) return kDaemonSetContainerized;
  return "";
}

void ClusterLifecycle::SetLinkUp(uint32_t node, bool up) {
  Ptr<Ipv4> ipv4 = world_.Host(node)->GetObject<Ipv4>();
  const int32_t iface = ipv4->GetInterfaceForAddress(world_.NodeIp(node));
  if (iface < 0) return;
  if (up) {
    ipv4->SetUp(uint32_t(iface));
  } else {
    ipv4->SetDown(uint32_t(iface));
  }
  world_.Ovn(node).SetIpv6LinkUp(up);
}

// The node's daemon runs when the pod of its active IPsec DaemonSet runs
// and NB_Global asks for IPsec; ovs-monitor-ipsec deletes every connection
// when it stops asking.
void ClusterLifecycle::SyncDaemon(uint32_t node) {
  NodeState& n = nodes_[node];
  NodeIpsec& ipsec = *mesh_.nodes.at(node);
  auto pod = n.pods.find(ActiveDaemonSet(node));
  const bool wanted = n.up && pod != n.pods.end() && pod->second.ready && nbIpsec_;
  if (wanted && !ipsec.Running()) {
    const IpsecRelease release = ReleaseFor(pod->second.version, lifecycle_.fixes);
    DaemonBehaviour b;
    b.initiation =
        release.initiatesBothSides ? InitiationPolicy::kBoth : InitiationPolicy::kOutOnly;
    b.crossing = release.crossingStreamsDefect ? ike::CrossingStreamsProfile::kLibreswan4xDefect
                                               : ike::CrossingStreamsProfile::kRfc7296;
    b.reconcileChecksKernel = release.reconcileChecksKernel;
    b.forceEncapsulation = nbEncapsulation_;
    b.modelledCrypto = lifecycle_.modelledCrypto;
    ipsec.StartDaemon(b, false);
  } else if (!wanted && ipsec.Running()) {
    ipsec.StopDaemon(true);
  }
}

void ClusterLifecycle::SetNbGlobal(bool ipsec) {
  const RenderedIpsec r = Rendered();
  const bool encapsulationChanged = r.nbGlobalIpsecEncapsulation != nbEncapsulation_;
  if (ipsec != nbIpsec_) Say(std::string("NB_Global ipsec=") + (ipsec ? "true" : "false"));
  nbIpsec_ = ipsec;
  nbEncapsulation_ = r.nbGlobalIpsecEncapsulation;
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    if (encapsulationChanged && mesh_.nodes[i]->Running()) mesh_.nodes[i]->StopDaemon(true);
    SyncDaemon(i);
  }
}

void ClusterLifecycle::Install(double seconds) {
  const RenderedIpsec r = Rendered();
  nbIpsec_ = r.nbGlobalIpsec;
  nbEncapsulation_ = r.nbGlobalIpsecEncapsulation;
  for (NodeState& n : nodes_) {
    n.os = config_.Version();
    n.hostLibreswan = !r.machineConfigs.empty();
  }
  for (const std::string& ds : WantedDaemonSets()) daemonSets_[ds] = config_.Version();
  Simulator::Schedule(Seconds(seconds), [this] {
    Say("installed " + config_.Version().ToString() + ", IPsec " + ToString(config_.Intent()));
    for (uint32_t i = 0; i < nodes_.size(); ++i)
      for (const auto& [ds, version] : daemonSets_) StartPod(i, ds, [] {});
  });
}

void ClusterLifecycle::RunProcedure(std::vector<LifecycleStep> steps, double firstSeconds) {
  steps_ = std::move(steps);
  Simulator::Schedule(Seconds(firstSeconds), [this] { RunStep(0); });
}

void ClusterLifecycle::RunStep(size_t index) {
  if (index >= steps_.size()) {
    finishedAt_ = Simulator::Now().GetSeconds();
    Say("procedure finished");
    return;
  }
  const LifecycleStep& step = steps_[index];
  Say(step.Describe());
  const double started = Simulator::Now().GetSeconds();
  auto next = [this, index, started] {
    const double took = Simulator::Now().GetSeconds() - started;
    rolloutSeconds_ += took;
    char text[64];
    std::snprintf(text, sizeof text, "step %zu done after %.1f s", index + 1, took);
    Say(text);
    const double wait = index + 1 < steps_.size() ? steps_[index + 1].afterSeconds : 0;
    Simulator::Schedule(Seconds(wait), [this, index] { RunStep(index + 1); });
  };
  try {
    switch (step.kind) {
      case LifecycleStep::Kind::kMergePatch:
        config_.ApplyMergePatch(step.body);
        break;
      case LifecycleStep::Kind::kJsonPatch:
        config_.ApplyJsonPatch(step.body);
        break;
      case LifecycleStep::Kind::kDeleteDaemonSets:
        for (const std::string& name : step.names) {
          if (!daemonSets_.erase(name)) continue;
          for (uint32_t i = 0; i < nodes_.size(); ++i) StopPod(i, name);
        }
        break;
      case LifecycleStep::Kind::kUpgrade:
        config_.SetVersion(step.to);
        break;
    }
  } catch (const OperatorApiError& e) {
    // The loader rehearses every step, so this is not expected at run time.
    Say(std::string("refused: ") + e.what());
    finishedAt_ = Simulator::Now().GetSeconds();
    return;
  }
  Converge(next);
}

bool ClusterLifecycle::AllNodesHaveLibreswan() const {
  for (const NodeState& n : nodes_)
    if (!n.hostLibreswan) return false;
  return true;
}

// The rendered DaemonSets, less the containerized one once every host runs
// pluto itself (4.15+).
std::set<std::string> ClusterLifecycle::WantedDaemonSets() const {
  const RenderedIpsec r = Rendered();
  std::set<std::string> wanted(r.daemonSets.begin(), r.daemonSets.end());
  if (config_.Version().AtLeast(4, 15) && AllNodesHaveLibreswan())
    wanted.erase(kDaemonSetContainerized);
  return wanted;
}

// What the operator does after its input changed: NB_Global at once, then
// the DaemonSets, then the MachineConfigs through the MCO (the order of a
// cluster update: the network operator before the machine config operator).
// Enabling IPsec on 4.15+ is the other way round: the operator waits for
// the ipsec extension on every node before it deploys the DaemonSets.
void ClusterLifecycle::Converge(Done done) {
  const RenderedIpsec r = Rendered();
  SetNbGlobal(r.nbGlobalIpsec);
  const bool freshEnable = daemonSets_.empty() && !r.daemonSets.empty() &&
                           !r.machineConfigs.empty() && !AllNodesHaveLibreswan();
  if (freshEnable) {
    Say("operator waits for the ipsec MachineConfigs before deploying its DaemonSets");
    RollMachineConfigs([this, done] { ReconcileDaemonSets(done); });
    return;
  }
  ReconcileDaemonSets(
      [this, done] { RollMachineConfigs([this, done] { ReconcileDaemonSets(done); }); });
}

void ClusterLifecycle::ReconcileDaemonSets(Done done) {
  const OcpVersion version = config_.Version();
  const std::set<std::string> wanted = WantedDaemonSets();
  for (auto it = daemonSets_.begin(); it != daemonSets_.end();) {
    // Releases before 4.15 replace the IPsec DaemonSets of an older release
    // but leave them in place once IPsec is disabled (why the documented
    // procedure deletes them by hand).
    if (!wanted.count(it->first) && (version.AtLeast(4, 15) || !wanted.empty())) {
      Say("operator deletes DaemonSet " + it->first);
      const std::string name = it->first;
      it = daemonSets_.erase(it);
      for (uint32_t i = 0; i < nodes_.size(); ++i) StopPod(i, name);
    } else {
      ++it;
    }
  }
  for (const std::string& ds : wanted) {
    auto it = daemonSets_.find(ds);
    if (it == daemonSets_.end()) {
      Say("operator creates DaemonSet " + ds);
      daemonSets_[ds] = version;
      for (uint32_t i = 0; i < nodes_.size(); ++i)  // a new DaemonSet starts everywhere at once
        if (nodes_[i].up) StartPod(i, ds, [] {});
    } else if (!(it->second == version)) {
      Say("operator updates DaemonSet " + ds + " to " + version.ToString());
      it->second = version;
    }
  }
  std::vector<uint32_t> outdated;
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    if (!nodes_[i].up) continue;
    bool old = false;
    for (const auto& [ds, pod] : nodes_[i].pods) {
      auto it = daemonSets_.find(ds);
      old |= it != daemonSets_.end() && !(pod.version == it->second);
    }
    if (old) outdated.push_back(i);
  }
  RollDaemonSets(outdated, done);
}

void ClusterLifecycle::StopPod(uint32_t node, const std::string& daemonSet) {
  if (!nodes_[node].pods.erase(daemonSet)) return;
  SyncDaemon(node);
}

void ClusterLifecycle::StartPod(uint32_t node, const std::string& daemonSet, Done ready) {
  NodeState& n = nodes_[node];
  auto ds = daemonSets_.find(daemonSet);
  if (ds == daemonSets_.end()) return ready();
  PodState& pod = n.pods[daemonSet];
  pod = PodState{ds->second, false, ++podGenerations_};
  const double delay =
      lifecycle_.timing.podStartSeconds + Jitter(lifecycle_.timing.podStartJitterSeconds);
  const uint64_t generation = pod.generation;
  Simulator::Schedule(Seconds(delay), [this, node, daemonSet, generation, ready] {
    NodeState& s = nodes_[node];
    auto it = s.pods.find(daemonSet);
    if (!s.up || it == s.pods.end() || it->second.generation != generation) return ready();
    ++podStarts_;
    it->second.ready = true;
    // The containerized pod flushes the node's xfrm state and policy when it
    // starts, whether or not it is the one that runs pluto here.
    const bool flushes = daemonSet == kDaemonSetContainerized &&
                         ReleaseFor(it->second.version, lifecycle_.fixes).containerizedFlushes;
    const bool active = ActiveDaemonSet(node) == daemonSet;
    Say(world_.NodeName(node) + ": " + daemonSet + " pod running" + (active ? "" : " (idle)") +
        (flushes ? ", xfrm state and policy flushed" : ""));
    if (flushes) mesh_.nodes[node]->Stack()->Flush();
    SyncDaemon(node);
    ready();
  });
}

// A rolling update replaces a node's outdated IPsec pods: stop, then start.
void ClusterLifecycle::ReplaceOutdatedPods(uint32_t node, Done ready) {
  std::vector<std::string> outdated;
  for (const auto& [ds, pod] : nodes_[node].pods) {
    auto it = daemonSets_.find(ds);
    if (it != daemonSets_.end() && !(pod.version == it->second)) outdated.push_back(ds);
  }
  for (const std::string& ds : outdated) StopPod(node, ds);
  auto left = std::make_shared<size_t>(outdated.size());
  if (outdated.empty()) return ready();
  Simulator::Schedule(Seconds(lifecycle_.timing.podStopSeconds),
                      [this, node, outdated, left, ready] {
                        for (const std::string& ds : outdated)
                          StartPod(node, ds, [left, ready] {
                            if (--*left == 0) ready();
                          });
                      });
}

// `batch` nodes at a time: the next batch starts when every node of this
// one is done (a rolling update's maxUnavailable).
void ClusterLifecycle::RollInBatches(std::vector<uint32_t> nodes, size_t batch, PerNode each,
                                     Done done) {
  if (nodes.empty()) return done();
  const size_t n = std::min(std::max<size_t>(batch, 1), nodes.size());
  std::vector<uint32_t> now(nodes.begin(), nodes.begin() + n);
  std::vector<uint32_t> rest(nodes.begin() + n, nodes.end());
  auto left = std::make_shared<size_t>(now.size());
  for (uint32_t node : now) {
    each(node, [this, left, rest, batch, each, done] {
      if (--*left == 0) RollInBatches(rest, batch, each, done);
    });
  }
}

void ClusterLifecycle::RollDaemonSets(std::vector<uint32_t> nodes, Done done) {
  RollInBatches(
      std::move(nodes), DaemonSetBatch(),
      [this](uint32_t node, Done ready) { ReplaceOutdatedPods(node, ready); }, done);
}

bool ClusterLifecycle::NodeNeedsUpdate(uint32_t node) const {
  const bool extension = !Rendered().machineConfigs.empty();
  return !(nodes_[node].os == config_.Version()) || nodes_[node].hostLibreswan != extension;
}

void ClusterLifecycle::RollMachineConfigs(Done done) {
  auto left = std::make_shared<size_t>(lifecycle_.pools.size());
  bool any = false;
  for (const auto& pool : lifecycle_.pools) {
    std::vector<uint32_t> pending;
    for (uint32_t node : pool)
      if (NodeNeedsUpdate(node)) pending.push_back(node);
    any |= !pending.empty();
    RollPool(pending, [left, done] {
      if (--*left == 0) done();
    });
  }
  if (lifecycle_.pools.empty() || !any) {
    if (lifecycle_.pools.empty()) done();
    return;
  }
  Say("machine config operator rolls the pools");
}

void ClusterLifecycle::RollPool(std::vector<uint32_t> pending, Done done) {
  RollInBatches(
      std::move(pending), size_t(lifecycle_.timing.mcoMaxUnavailable),
      [this](uint32_t node, Done ready) { UpdateNode(node, ready); }, done);
}

// Cordon and drain, reboot into the new configuration, wait for Ready.
// DaemonSet pods are not drained: the IPsec pod goes down with the node.
void ClusterLifecycle::UpdateNode(uint32_t node, Done done) {
  Say(world_.NodeName(node) + ": cordon and drain");
  const RolloutTiming& t = lifecycle_.timing;
  Simulator::Schedule(Seconds(t.drainSeconds), [this, node, done, t] {
    Say(world_.NodeName(node) + ": reboot");
    ++reboots_;
    NodeState& n = nodes_[node];
    n.up = false;
    n.pods.clear();
    mesh_.nodes[node]->LoseEverything();
    SetLinkUp(node, false);
    const double down = t.rebootSeconds + Jitter(t.rebootJitterSeconds);
    Simulator::Schedule(Seconds(down), [this, node, done, t] {
      NodeState& s = nodes_[node];
      s.up = true;
      s.os = config_.Version();
      s.hostLibreswan = !Rendered().machineConfigs.empty();
      SetLinkUp(node, true);
      Say(world_.NodeName(node) + ": up on " + s.os.ToString() +
          (s.hostLibreswan ? " with the ipsec extension" : ""));
      for (const auto& [ds, version] : daemonSets_) StartPod(node, ds, [] {});
      Simulator::Schedule(Seconds(t.readySeconds), [this, node, done] {
        Say(world_.NodeName(node) + ": updated and ready");
        done();
      });
    });
  });
}

}  // namespace ipsecsim::sim
