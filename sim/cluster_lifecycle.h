// The control plane around the nodes' IPsec (docs/lifecycle.md): the Network
// operator renders NB_Global, the IPsec DaemonSets and the extension
// MachineConfigs from its configuration object, the cluster's z-stream and
// the pools' progress; the DaemonSet controller rolls IPsec pods node by
// node; the Machine Config Operator cordons, drains and reboots up to each
// pool's maxUnavailable nodes at a time and reports the pools' status
// (cluster_lifecycle_pools.cc). Each IPsec pod runs its release's script
// (cluster_lifecycle_pods.cc): it may sleep, flush the kernel's xfrm state,
// run or restart a pluto and run ovs-monitor-ipsec. What the data plane
// suffers follows from that sequence and from IKE itself.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "certificate_rotation.h"
#include "cluster_world.h"
#include "ipsec_ike_mesh.h"
#include "ipsec_release.h"
#include "lifecycle_step.h"
#include "machine_config_pool.h"
#include "network_operator.h"
#include "rollout_timing.h"

namespace ipsecsim::sim {

// A pool's MachineConfig beyond the operator's: the user's own, as the
// external-endpoint procedure writes it (docs/external-endpoints.md): the
// ipsec extension, a unit that enables ipsec.service, and Libreswan files
// in /etc/ipsec.d that the host's pluto loads beside OVN's.
struct UserMachineConfig {
  std::string name;           // metadata.name
  bool libreswan = false;     // extensions: [ipsec]
  bool ipsecService = false;  // a unit runs `systemctl enable --now ipsec.service`
  // addconn --checkconfig fails on its files: ipsec.service starts no pluto.
  bool plutoRefused = false;
  // By node, what the host's pluto loads from the files: with
  // ovs-monitor-ipsec's openshift.conf beside them (its %default fills
  // what they leave unset), and without.
  std::map<uint32_t, std::vector<ike::ConnectionConfig>> withOvn, alone;
  // What its `conn %default` gives OVN's connections (with openshift.conf).
  ike::ConnectionDefaults ovnDefaults;
  bool atInstall = true;  // false: an `oc apply` step brings it
};

struct LifecycleConfig {
  Platform platform = Platform::kBaremetal;
  DaemonFixes fixes = DaemonFixes::kStock;
  Libreswan libreswan = Libreswan::kDefault;  // every pluto's build, instead of the release's
  RolloutTiming timing;
  std::vector<std::vector<uint32_t>> pools;  // node indexes per MachineConfigPool
  std::vector<std::string> poolNames;        // by pool; "pool-<i>" where missing
  // By pool, its spec.maxUnavailable; timing.mcoMaxUnavailable where missing.
  std::vector<std::optional<MaxUnavailable>> poolMaxUnavailable;
  // By pool, the user's MachineConfig for its role, if any.
  std::vector<std::optional<UserMachineConfig>> userConfigs;
  uint64_t seed = 1;
  bool modelledCrypto = false;
  int64_t epochSeconds = 0;  // UNIX time at simulated time 0 (advance steps to a date)
};

// A kWaitPools step: when it started and ended, and whether its pools were
// all Updated by then or the timeout came first.
struct PoolWait {
  size_t step = 0;  // its index in the procedure
  double started = 0;
  double ended = 0;
  bool timedOut = false;
  std::vector<PoolStatus> pools;  // the pools it waited for, as they were at its end
};

// A node's MTUs changed as it rebooted into the operator's MTU configuration.
struct NodeMtuChange {
  double seconds;
  uint32_t node;
  OvnMtu before, after;
};

struct LifecycleLogLine {
  double seconds;
  std::string text;
  int node = -1;  // the node it concerns, or -1
  // What it did to the node's IPsec: a flush, a pluto (re)start or stop, ...
  bool touchesIpsec = false;
};

class ClusterLifecycle {
 public:
  ClusterLifecycle(ClusterWorld& world, IkeMesh& mesh, NetworkOperatorConfig config,
                   LifecycleConfig lifecycle);

  // The cluster as installed: what the configuration renders is in place,
  // and the IPsec pods start at `seconds` on every node.
  void Install(double seconds);
  // The node certificates over time: every IPsec pod start runs its
  // ovn-keys init container against them (none: certificates never change).
  void SetCertificates(CertificateRotation* certs) { certs_ = certs; }
  // Runs the steps one after the other, the first at `firstSeconds`.
  void RunProcedure(std::vector<LifecycleStep> steps, double firstSeconds);

  const NetworkOperatorConfig& Config() const { return config_; }
  RenderedIpsec Rendered() const { return config_.Render(lifecycle_.platform, lifecycle_.fixes); }
  bool NbGlobalIpsec() const { return nbIpsec_; }
  std::vector<std::string> DaemonSets() const;  // those that exist now
  // The release every pod and pluto behaves as (a bare minor resolved).
  IpsecRelease Release() const {
    return ReleaseFor(config_.Version(), lifecycle_.fixes, lifecycle_.libreswan);
  }
  const std::vector<LifecycleLogLine>& Log() const { return log_; }
  bool NodeUp(uint32_t node) const { return nodes_.at(node).up; }
  // When the procedure finished (nullopt while it runs), and how long the
  // rollouts of each step took, summed.
  std::optional<double> FinishedAt() const { return finishedAt_; }
  // What the procedure is at, for a progress line: "install", "step 2/3:
  // <the step>" (until the next one starts) or "finished".
  std::string CurrentStep() const;
  double RolloutSeconds() const { return rolloutSeconds_; }
  // While an advance step runs: when it ends (nullopt otherwise). Observers
  // slow down or pause until then.
  std::optional<double> QuietUntil() const;
  uint32_t Reboots() const { return reboots_; }
  uint32_t PodStarts() const { return podStarts_; }
  const std::vector<NodeMtuChange>& MtuChanges() const { return mtuChanges_; }
  OvnMtu NodeMtu(uint32_t node) const { return nodes_.at(node).mtu; }
  // Every pool's status now, as `oc get mcp` would print it
  // (cluster_lifecycle_pools.cc).
  std::vector<PoolStatus> PoolStatuses() const;
  // The pools after the install and at each step's end.
  const std::vector<PoolSnapshot>& PoolSnapshots() const { return poolSnapshots_; }
  const std::vector<PoolWait>& PoolWaits() const { return poolWaits_; }

 private:
  // What a DaemonSet's pods are made from: the release, and (4.15.49+)
  // whether the template carries the ipsec.service check.
  struct Template {
    OcpVersion version;
    bool serviceCheck = false;
    bool operator==(const Template& o) const {
      return version == o.version && serviceCheck == o.serviceCheck;
    }
  };
  enum class PodRole { kStarting, kSleeping, kRunsPluto, kRunsMonitor, kCrashLoop };
  struct PodState {
    Template made;
    PodRole role = PodRole::kStarting;
    uint64_t generation = 0;
    double backoff = 10;  // CrashLoopBackOff: doubles up to 300 s
  };
  enum class Pluto { kNone, kHost, kContainer };
  struct NodeState {
    bool up = true;
    bool cordoned = false;                 // unschedulable, from the drain until ready
    bool hostLibreswan = false;            // the ipsec extension is installed
    bool ipsecService = false;             // a unit enables ipsec.service at boot
    bool userConfig = false;               // booted with its pool's UserMachineConfig
    bool updating = false;                 // the MCO has yet to update it (UpdatedMachineCount)
    bool confCommented = false;            // a 4.15.49+ host pod edited /etc/ipsec.conf
    Pluto pluto = Pluto::kNone;            // whose pluto runs the node's IKE
    OcpVersion os;                         // the release its OS image belongs to
    OvnMtu mtu;                            // what it booted with: ovnkube-config, machine MTU
    std::map<std::string, PodState> pods;  // IPsec DaemonSet -> its pod here
  };
  struct PoolState {
    bool extensionDone = false;  // status.configuration includes the extension
    bool rolling = false;
    std::string configuration;  // status.configuration.name
    bool userApplied = false;   // its UserMachineConfig is part of its target
  };
  struct Wanted {
    std::set<std::string> daemonSets;
    bool createWait = false;  // rendered, but the operator skips applying them
    bool serviceCheck = false;
    bool nbIpsec = false;
  };
  using Done = std::function<void()>;
  using PerNode = std::function<void(uint32_t node, Done done)>;

  void RunStep(size_t index);
  void Converge(Done done);  // the operator reconciles after a change
  Wanted Render() const;
  bool ExtensionActive(bool poolCountCondition) const;
  void SetNbGlobal(bool ipsec);
  void ReconcileDaemonSets(Done done);
  void RollInBatches(std::vector<uint32_t> nodes, size_t batch, PerNode each, Done done);
  void RollDaemonSets(std::vector<uint32_t> nodes, Done done);
  void ReplaceOutdatedPods(uint32_t node, Done ready);
  void RollMachineConfigs(Done done);
  void RollPool(size_t pool, std::vector<uint32_t> pending, Done done);
  void FillPool(size_t pool, std::shared_ptr<std::vector<uint32_t>> queue,
                std::shared_ptr<size_t> inFlight, Done done);
  // cluster_lifecycle_pools.cc: the pools' status and the wait step.
  std::string NodeConfig(uint32_t node) const;  // what the node booted with
  std::string TargetConfig(size_t pool) const;  // what the pool renders now
  void SyncPools();
  void SnapshotPools(const std::string& step);
  void WaitForPools(size_t index, Done done);
  std::vector<PoolStatus> WaitedPools(const LifecycleStep& step) const;
  std::string PoolName(size_t pool) const;
  int PoolMaxUnavailable(size_t pool) const;
  void UpdateNode(uint32_t node, Done done);
  bool NodeNeedsUpdate(uint32_t node) const;
  void SetLinkUp(uint32_t node, bool up);
  void BootMtu(uint32_t node);
  double Jitter(double max);
  uint32_t DaemonSetBatch() const;
  void Say(const std::string& text);
  void SayNode(uint32_t node, const std::string& text, bool touchesIpsec);

  // cluster_lifecycle_pods.cc: what each pod's script does.
  void StartPod(uint32_t node, const std::string& daemonSet, Done ready);
  void RunPodScript(uint32_t node, const std::string& daemonSet, uint64_t generation);
  void RunContainerized(uint32_t node, PodState& pod);
  void RunHost(uint32_t node, PodState& pod, const std::string& daemonSet, uint64_t generation);
  void RunLegacy(uint32_t node, PodState& pod);
  void StopPod(uint32_t node, const std::string& daemonSet);
  void BootHostPluto(uint32_t node);
  // The host's pluto, with the Libreswan files the node booted with.
  void StartHostPluto(uint32_t node, const DaemonBehaviour& behaviour);
  const UserMachineConfig* BootedUserConfig(uint32_t node) const;
  // The pool's UserMachineConfig when its target includes it (or nullptr).
  const UserMachineConfig* TargetUserConfig(size_t pool) const;
  // What the node boots into now: the extension and ipsec.service from the
  // operator's MachineConfigs or its pool's UserMachineConfig.
  void BootMachineConfigs(uint32_t node);
  void ApplyUserConfigs(const LifecycleStep& step);
  void RestartHostPluto(uint32_t node, const std::string& why);
  void Flush(uint32_t node, const std::string& who);
  DaemonBehaviour Behaviour(const OcpVersion& release, Libreswan pluto) const;
  Libreswan HostLibreswan(uint32_t node) const;
  std::string PlutoName(uint32_t node) const;
  void SyncMonitor(uint32_t node);
  bool MonitorWanted(uint32_t node) const;

  ClusterWorld& world_;
  IkeMesh& mesh_;
  NetworkOperatorConfig config_;
  LifecycleConfig lifecycle_;
  std::vector<NodeState> nodes_;
  std::vector<PoolState> pools_;
  std::vector<size_t> poolOf_;                  // by node, its pool's index (none: the pool count)
  std::map<std::string, Template> daemonSets_;  // existing DaemonSet -> its template
  bool nbIpsec_ = false;
  bool nbEncapsulation_ = false;
  std::vector<LifecycleStep> steps_;
  size_t stepsStarted_ = 0;
  std::vector<LifecycleLogLine> log_;
  std::optional<double> finishedAt_;
  double rolloutSeconds_ = 0;
  uint32_t reboots_ = 0;
  uint32_t podStarts_ = 0;
  std::vector<NodeMtuChange> mtuChanges_;
  std::vector<PoolSnapshot> poolSnapshots_;
  std::vector<PoolWait> poolWaits_;
  std::function<void()> poolWatcher_;  // a wait step's check, after every pool sync
  bool converging_ = false;            // a step's rollouts still run
  Done afterConverge_;                 // the step that waits for them
  uint64_t draws_ = 0;
  uint64_t podGenerations_ = 0;
  CertificateRotation* certs_ = nullptr;
  double quietUntil_ = -1;
};

}  // namespace ipsecsim::sim
