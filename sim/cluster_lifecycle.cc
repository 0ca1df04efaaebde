#include "cluster_lifecycle.h"

#include <ns3/core-module.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "deterministic_rng.h"

namespace ipsecsim::sim {

using namespace ns3;

ClusterLifecycle::ClusterLifecycle(ClusterWorld& world, IkeMesh& mesh, NetworkOperatorConfig config,
                                   LifecycleConfig lifecycle)
    : world_(world),
      mesh_(mesh),
      config_(std::move(config)),
      lifecycle_(std::move(lifecycle)),
      nodes_(world.NodeCount()),
      pools_(lifecycle_.pools.size()),
      poolOf_(world.NodeCount(), lifecycle_.pools.size()) {
  for (NodeState& n : nodes_) n.mtu = config_.RenderedMtu();
  for (size_t p = 0; p < lifecycle_.pools.size(); ++p)
    for (uint32_t node : lifecycle_.pools[p]) poolOf_.at(node) = p;
  lifecycle_.userConfigs.resize(lifecycle_.pools.size());
}

void ClusterLifecycle::Say(const std::string& text) {
  log_.push_back({Simulator::Now().GetSeconds(), text});
}

void ClusterLifecycle::SayNode(uint32_t node, const std::string& text, bool touchesIpsec) {
  log_.push_back({Simulator::Now().GetSeconds(), world_.NodeName(node) + ": " + text, int(node),
                  touchesIpsec});
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
  for (const auto& [name, made] : daemonSets_) out.push_back(name);
  return out;
}

void ClusterLifecycle::SetLinkUp(uint32_t node, bool up) {
  Ptr<Ipv4> ipv4 = world_.Host(node)->GetObject<Ipv4>();
  const int32_t iface = ipv4->GetInterfaceForAddress(world_.NodeIp(node));
  if (iface < 0) return;
  if (up) {
    ipv4->SetUp(uint32_t(iface));
    world_.Ovn(node).RestoreUnderlayHostRoutes();
  } else {
    ipv4->SetDown(uint32_t(iface));
  }
  world_.Ovn(node).SetIpv6LinkUp(up);
}

// status.configuration of every pool includes the extension, and (4.15.25
// to 4.15.48) no pool has machines left to update.
bool ClusterLifecycle::ExtensionActive(bool poolCountCondition) const {
  if (pools_.empty()) return false;
  for (const PoolState& p : pools_) {
    if (!p.extensionDone) return false;
    if (poolCountCondition && p.rolling) return false;
  }
  return true;
}

// shouldRenderIPsec, per release (docs/lifecycle.md, "The operator").
ClusterLifecycle::Wanted ClusterLifecycle::Render() const {
  const IpsecRelease release = Release();
  const bool full = config_.Intent() == IpsecIntent::kFull;
  Wanted w;
  if (!config_.Version().AtLeast(4, 15)) {
    if (full) w.daemonSets.insert(release.daemonSets.begin(), release.daemonSets.end());
    w.nbIpsec = full;
    return w;
  }
  const IpsecOperatorRules& rules = release.rules;
  const bool active = ExtensionActive(rules.poolCountCondition);
  if (rules.bothUntilExtensionActive) {
    if (full) w.daemonSets.insert(kDaemonSetHost);
    if (full && !active) w.daemonSets.insert(kDaemonSetContainerized);
    w.serviceCheck = w.daemonSets.size() == 2;
    w.nbIpsec = full;
    return w;
  }
  const bool legacyUpgrade =
      daemonSets_.count(kDaemonSetHost) && daemonSets_.count(kDaemonSetContainerized);
  const bool notActiveOnUpgrade = rules.createWaitDuringLegacyUpgrade && legacyUpgrade && !active;
  if ((full && active) || notActiveOnUpgrade) w.daemonSets.insert(kDaemonSetHost);
  if (notActiveOnUpgrade) w.daemonSets.insert(kDaemonSetContainerized);
  w.createWait = notActiveOnUpgrade;
  w.nbIpsec = full && !w.daemonSets.empty();
  return w;
}

void ClusterLifecycle::SetNbGlobal(bool ipsec) {
  const RenderedIpsec r = Rendered();
  const bool encapsulationChanged = r.nbGlobalIpsecEncapsulation != nbEncapsulation_;
  if (ipsec != nbIpsec_) Say(std::string("NB_Global ipsec=") + (ipsec ? "true" : "false"));
  nbIpsec_ = ipsec;
  nbEncapsulation_ = r.nbGlobalIpsecEncapsulation;
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    if (encapsulationChanged && nodes_[i].pluto != Pluto::kNone) {
      // pluto takes the new encapsulation only when it starts again.
      mesh_.nodes[i]->StopDaemon(true);
      if (nodes_[i].pluto == Pluto::kHost) {
        StartHostPluto(i, Behaviour(config_.Version(), HostLibreswan(i)));
      } else {
        const Libreswan build =
            ReleaseFor(config_.Version(), lifecycle_.fixes, lifecycle_.libreswan)
                .containerLibreswan;
        mesh_.nodes[i]->StartPluto(Behaviour(config_.Version(), build), PlutoFiles::kImage);
      }
    }
    SyncMonitor(i);
  }
}

void ClusterLifecycle::Install(double seconds) {
  const RenderedIpsec r = Rendered();
  nbEncapsulation_ = r.nbGlobalIpsecEncapsulation;
  for (size_t p = 0; p < pools_.size(); ++p) {
    const auto& user = lifecycle_.userConfigs[p];
    pools_[p].userApplied = user && user->atInstall;
  }
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    nodes_[i].os = config_.Version();
    BootMachineConfigs(i);
  }
  for (PoolState& p : pools_) p.extensionDone = !r.machineConfigs.empty();
  // Installed: every pool's status.configuration is what it renders.
  for (size_t p = 0; p < pools_.size(); ++p) pools_[p].configuration = PoolStatuses()[p].target;
  const Wanted w = Render();
  nbIpsec_ = w.nbIpsec;
  for (const std::string& ds : w.daemonSets) daemonSets_[ds] = {config_.Version(), w.serviceCheck};
  if (certs_) {
    certs_->SetOperatorLog([this](const std::string& text) { Say(text); });
    certs_->Start();
  }
  Simulator::Schedule(Seconds(seconds), [this] {
    Say("installed " + config_.Version().ToString() + ", IPsec " + ToString(config_.Intent()));
    for (uint32_t i = 0; i < nodes_.size(); ++i) {
      BootHostPluto(i);
      for (const auto& [ds, made] : daemonSets_) StartPod(i, ds, [] {});
    }
    SnapshotPools("install");
  });
}

std::optional<double> ClusterLifecycle::QuietUntil() const {
  if (Simulator::Now().GetSeconds() < quietUntil_) return quietUntil_;
  return std::nullopt;
}

std::string ClusterLifecycle::CurrentStep() const {
  if (finishedAt_) return "finished";
  if (stepsStarted_ == 0) return "install";
  return "step " + std::to_string(stepsStarted_) + "/" + std::to_string(steps_.size()) + ": " +
         steps_[stepsStarted_ - 1].Describe();
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
  if (step.kind != LifecycleStep::Kind::kWaitPools && converging_) {
    // Two rollouts at once are not modelled: this one starts after the
    // earlier step's.
    Say("step " + std::to_string(index + 1) + " waits for the earlier step's rollouts");
    afterConverge_ = [this, index] { RunStep(index); };
    return;
  }
  stepsStarted_ = index + 1;
  Say(step.Describe());
  const double started = Simulator::Now().GetSeconds();
  auto next = [this, index, started] {
    const double took = Simulator::Now().GetSeconds() - started;
    // Quiet time rolls nothing out.
    if (steps_[index].kind != LifecycleStep::Kind::kAdvance) rolloutSeconds_ += took;
    char text[64];
    std::snprintf(text, sizeof text, "step %zu done after %.1f s", index + 1, took);
    Say(text);
    SnapshotPools(CurrentStep());
    if (steps_[index].kind == LifecycleStep::Kind::kWaitPools && poolWaits_.back().timedOut) {
      // oc wait exits 1: a procedure run as a script stops there.
      finishedAt_ = Simulator::Now().GetSeconds();
      Say("procedure stopped: step " + std::to_string(index + 1) + " timed out");
      return;
    }
    const double wait = index + 1 < steps_.size() ? steps_[index + 1].afterSeconds : 0;
    Simulator::Schedule(Seconds(wait), [this, index] { RunStep(index + 1); });
  };
  if (step.kind == LifecycleStep::Kind::kWaitPools) return WaitForPools(index, next);
  if (step.kind == LifecycleStep::Kind::kAdvance) {
    // A date already behind the clock (the rollouts before took longer
    // than the loader's lower bound) passes at once.
    const double until = step.advanceTo
                             ? std::max(started, double(*step.advanceTo - lifecycle_.epochSeconds))
                             : started + step.advanceSeconds;
    quietUntil_ = until;
    Simulator::Schedule(Seconds(until - started), next);
    return;
  }
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
      case LifecycleStep::Kind::kApplyMachineConfigs:
        ApplyUserConfigs(step);
        break;
      case LifecycleStep::Kind::kWaitPools:
      case LifecycleStep::Kind::kAdvance:
        break;
    }
    const bool patch = step.kind == LifecycleStep::Kind::kMergePatch ||
                       step.kind == LifecycleStep::Kind::kJsonPatch;
    if (patch && config_.OverwrittenNetworkType())
      Say("network operator: spec.defaultNetwork.type written back to OVNKubernetes "
          "(network.config.openshift.io networkType)");
  } catch (const OperatorApiError& e) {
    // The loader rehearses every step, so this is not expected at run time.
    Say(std::string("refused: ") + e.what());
    finishedAt_ = Simulator::Now().GetSeconds();
    return;
  }
  SyncPools();  // the render controller gives the pools their new target at once
  if (step.waitRollout) return Converge(next);
  converging_ = true;
  Converge([this] {
    converging_ = false;
    if (!afterConverge_) return;
    const Done then = std::move(afterConverge_);
    afterConverge_ = nullptr;
    then();
  });
  next();
}

// What the operator does after its input changed: the DaemonSets, then the
// MachineConfigs through the MCO (the order of a cluster update: the
// network operator before the machine config operator), then the
// DaemonSets again, which the pools' progress may have changed.
void ClusterLifecycle::Converge(Done done) {
  ReconcileDaemonSets(
      [this, done] { RollMachineConfigs([this, done] { ReconcileDaemonSets(done); }); });
}

void ClusterLifecycle::ReconcileDaemonSets(Done done) {
  const Wanted w = Render();
  SetNbGlobal(w.nbIpsec);
  const Template made{config_.Version(), w.serviceCheck};
  // Legacy DaemonSets of a release before 4.15 stay once IPsec is disabled
  // (why the documented procedure deletes them by hand).
  const bool prunes = config_.Version().AtLeast(4, 15) || !w.daemonSets.empty();
  for (auto it = daemonSets_.begin(); it != daemonSets_.end();) {
    if (!w.daemonSets.count(it->first) && prunes) {
      Say("operator deletes DaemonSet " + it->first);
      const std::string name = it->first;
      it = daemonSets_.erase(it);
      for (uint32_t i = 0; i < nodes_.size(); ++i) StopPod(i, name);
    } else {
      ++it;
    }
  }
  if (w.createWait) {
    Say("IPsec DaemonSets rendered create-wait: the operator skips applying them");
  } else {
    for (const std::string& ds : w.daemonSets) {
      auto it = daemonSets_.find(ds);
      if (it == daemonSets_.end()) {
        Say("operator creates DaemonSet " + ds);
        daemonSets_[ds] = made;
        for (uint32_t i = 0; i < nodes_.size(); ++i)  // a new DaemonSet starts everywhere at once
          if (nodes_[i].up) StartPod(i, ds, [] {});
      } else if (!(it->second == made)) {
        Say("operator updates DaemonSet " + ds + " to " + made.version.ToString() +
            (made.serviceCheck ? " (with the ipsec.service check)" : ""));
        it->second = made;
      }
    }
  }
  std::vector<uint32_t> outdated;
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    if (!nodes_[i].up) continue;
    bool old = false;
    for (const auto& [ds, pod] : nodes_[i].pods) {
      auto it = daemonSets_.find(ds);
      old |= it != daemonSets_.end() && !(pod.made == it->second);
    }
    if (old) outdated.push_back(i);
  }
  RollDaemonSets(outdated, done);
}

// A rolling update replaces a node's outdated IPsec pods: stop, then start.
void ClusterLifecycle::ReplaceOutdatedPods(uint32_t node, Done ready) {
  std::vector<std::string> outdated;
  for (const auto& [ds, pod] : nodes_[node].pods) {
    auto it = daemonSets_.find(ds);
    if (it != daemonSets_.end() && !(pod.made == it->second)) outdated.push_back(ds);
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
  const NodeState& n = nodes_[node];
  const UserMachineConfig* user = TargetUserConfig(poolOf_[node]);
  const bool extension = !Rendered().machineConfigs.empty() || (user && user->libreswan);
  return !(n.os == config_.Version()) || n.hostLibreswan != extension ||
         n.userConfig != (user != nullptr) || n.mtu != config_.RenderedMtu();
}

const UserMachineConfig* ClusterLifecycle::TargetUserConfig(size_t pool) const {
  if (pool >= pools_.size() || !pools_[pool].userApplied) return nullptr;
  return &*lifecycle_.userConfigs[pool];
}

const UserMachineConfig* ClusterLifecycle::BootedUserConfig(uint32_t node) const {
  if (!nodes_[node].userConfig) return nullptr;
  return &*lifecycle_.userConfigs[poolOf_[node]];
}

// The MCO writes the pool's rendered config; the node boots with it: the
// ipsec extension and ipsec.service come from the operator's extension
// MachineConfigs (80-ipsec-<role>-extensions: ipsecenabler.service) or
// from the user's.
void ClusterLifecycle::BootMachineConfigs(uint32_t node) {
  NodeState& n = nodes_[node];
  const bool operatorExtension = !Rendered().machineConfigs.empty();
  n.userConfig = TargetUserConfig(poolOf_[node]) != nullptr;
  const UserMachineConfig* user = BootedUserConfig(node);
  n.hostLibreswan = operatorExtension || (user && user->libreswan);
  n.ipsecService = operatorExtension || (user && user->ipsecService);
}

// oc apply: each MachineConfig joins the target of the pool its role label
// names; the render controller and the MCO do the rest (Converge).
void ClusterLifecycle::ApplyUserConfigs(const LifecycleStep& step) {
  for (const std::string& role : step.names) {
    size_t p = 0;
    while (p < pools_.size() && PoolName(p) != role) ++p;
    if (p == pools_.size() || !lifecycle_.userConfigs[p]) {
      Say("machineconfig for role " + role + " created: no pool of that role, no node changes");
      continue;
    }
    Say("machineconfig " + lifecycle_.userConfigs[p]->name + " created for pool " + role);
    pools_[p].userApplied = true;
  }
}

void ClusterLifecycle::RollMachineConfigs(Done done) {
  auto left = std::make_shared<size_t>(lifecycle_.pools.size());
  bool any = false;
  std::vector<std::vector<uint32_t>> pending(lifecycle_.pools.size());
  for (size_t p = 0; p < lifecycle_.pools.size(); ++p) {
    for (uint32_t node : lifecycle_.pools[p])
      if (NodeNeedsUpdate(node)) pending[p].push_back(node);
    any |= !pending[p].empty();
  }
  if (lifecycle_.pools.empty() || !any) return done();
  Say("machine config operator rolls the pools");
  // A pool's new target makes every machine of it not yet updated at once.
  for (size_t p = 0; p < pending.size(); ++p) {
    pools_[p].rolling = !pending[p].empty();
    for (uint32_t node : pending[p]) nodes_[node].updating = true;
  }
  ReconcileDaemonSets([] {});
  for (size_t p = 0; p < pending.size(); ++p) {
    RollPool(p, pending[p], [left, done] {
      if (--*left == 0) done();
    });
  }
}

void ClusterLifecycle::RollPool(size_t pool, std::vector<uint32_t> pending, Done done) {
  if (pending.empty()) return done();
  auto finished = [this, pool, done] {
    pools_[pool].rolling = false;
    pools_[pool].extensionDone = !Rendered().machineConfigs.empty();
    ReconcileDaemonSets([] {});
    done();
  };
  FillPool(pool, std::make_shared<std::vector<uint32_t>>(std::move(pending)),
           std::make_shared<size_t>(0), finished);
}

// getAllCandidateMachines: the pool's capacity is maxUnavailable less its
// unavailable nodes, so each node that is ready again lets the next one
// start, in node order (sortNodeList: oldest first without zone labels).
void ClusterLifecycle::FillPool(size_t pool, std::shared_ptr<std::vector<uint32_t>> queue,
                                std::shared_ptr<size_t> inFlight, Done done) {
  const size_t capacity = size_t(PoolMaxUnavailable(pool));
  while (*inFlight < capacity && !queue->empty()) {
    const uint32_t node = queue->front();
    queue->erase(queue->begin());
    ++*inFlight;
    UpdateNode(node, [this, pool, queue, inFlight, done] {
      --*inFlight;
      if (queue->empty() && *inFlight == 0) return done();
      FillPool(pool, queue, inFlight, done);
    });
  }
}

// Cordon and drain, reboot into the new configuration, wait for Ready.
// DaemonSet pods are not drained: the IPsec pod goes down with the node.
void ClusterLifecycle::UpdateNode(uint32_t node, Done done) {
  SayNode(node, "cordon and drain", false);
  nodes_[node].cordoned = true;
  SyncPools();
  const RolloutTiming& t = lifecycle_.timing;
  Simulator::Schedule(Seconds(t.drainSeconds), [this, node, done, t] {
    SayNode(node, "reboot: " + PlutoName(node) + " dies, the kernel forgets every SA", true);
    ++reboots_;
    NodeState& n = nodes_[node];
    n.up = false;
    n.pods.clear();
    n.pluto = Pluto::kNone;
    mesh_.nodes[node]->LoseEverything();
    SetLinkUp(node, false);
    const double down = t.rebootSeconds + Jitter(t.rebootJitterSeconds);
    Simulator::Schedule(Seconds(down), [this, node, done, t] {
      NodeState& s = nodes_[node];
      s.up = true;
      s.os = config_.Version();
      BootMachineConfigs(node);
      BootMtu(node);
      SetLinkUp(node, true);
      SayNode(node,
              "up on " + s.os.ToString() + (s.hostLibreswan ? " with the ipsec extension" : ""),
              false);
      BootHostPluto(node);
      for (const auto& [ds, made] : daemonSets_) StartPod(node, ds, [] {});
      Simulator::Schedule(Seconds(t.readySeconds), [this, node, done] {
        nodes_[node].updating = false;
        nodes_[node].cordoned = false;
        SayNode(node, "updated and ready", false);
        SyncPools();
        done();
      });
    });
  });
}

// The MCO's reboot is when a node takes the MTU configuration: the machine
// MTU on its uplink, and for every pod, ovnkube-config's mtu on eth0 and its
// routable-mtu on the pod's routes (docs/lifecycle.md, the MTU change).
void ClusterLifecycle::BootMtu(uint32_t node) {
  const OvnMtu before = nodes_[node].mtu, after = config_.RenderedMtu();
  if (before == after) return;
  nodes_[node].mtu = after;
  OvnNode& ovn = world_.Ovn(node);
  ovn.SetPodMtu(uint32_t(after.mtu), uint32_t(after.RouteMtu()));
  if (after.machineMtu != before.machineMtu) ovn.SetHostMtu(after.machineMtu);
  mtuChanges_.push_back({Simulator::Now().GetSeconds(), node, before, after});
  std::string text = "pod MTU " + std::to_string(before.RouteMtu()) + " -> " +
                     std::to_string(after.RouteMtu()) + " (ovnkube-config mtu " +
                     std::to_string(after.mtu);
  if (after.routableMtu > 0) text += ", routable-mtu " + std::to_string(after.routableMtu);
  text += "), machine MTU " + std::to_string(after.machineMtu);
  SayNode(node, text, false);
}

}  // namespace ipsecsim::sim
