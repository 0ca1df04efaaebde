// The control plane around the nodes' IPsec (docs/lifecycle.md): the Network
// operator renders NB_Global, the IPsec DaemonSets and the extension
// MachineConfigs from its configuration object and the cluster version; the
// DaemonSet controller rolls IPsec pods node by node; the Machine Config
// Operator cordons, drains and reboots nodes one batch per pool at a time.
// Every pod start and reboot stops or starts a node's IKE daemon, so what
// the data plane suffers follows from this sequence and from IKE itself.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cluster_world.h"
#include "ipsec_ike_mesh.h"
#include "ipsec_release.h"
#include "network_operator.h"

namespace ipsecsim::sim {

struct RolloutTiming {
  // DaemonSet rolling update: pods replaced at once (a count, or a
  // percentage of the nodes rounded up, like Kubernetes).
  std::string daemonSetMaxUnavailable = "10%";
  double podStopSeconds = 2;         // termination of an IPsec pod
  double podStartSeconds = 8;        // scheduling, image and start until pluto runs
  double podStartJitterSeconds = 4;  // each start adds a uniform draw up to this
  // Machine Config Operator, per pool.
  int mcoMaxUnavailable = 1;
  double drainSeconds = 30;
  double rebootSeconds = 90;
  double readySeconds = 20;  // from the reboot to the node counting as updated
  double rebootJitterSeconds = 10;
};

struct LifecycleConfig {
  Platform platform = Platform::kBaremetal;
  DaemonFixes fixes = DaemonFixes::kStock;
  RolloutTiming timing;
  std::vector<std::vector<uint32_t>> pools;  // node indexes per MachineConfigPool
  uint64_t seed = 1;
  bool modelledCrypto = false;
};

// One step of a procedure; each starts `afterSeconds` after the previous
// one has finished (its rollouts complete).
struct LifecycleStep {
  enum class Kind { kMergePatch, kJsonPatch, kDeleteDaemonSets, kUpgrade };
  Kind kind = Kind::kMergePatch;
  std::string body;                // patches
  std::vector<std::string> names;  // DaemonSets
  OcpVersion to;                   // upgrade
  double afterSeconds = 0;
  std::string Describe() const;
};

struct LifecycleLogLine {
  double seconds;
  std::string text;
};

class ClusterLifecycle {
 public:
  ClusterLifecycle(ClusterWorld& world, IkeMesh& mesh, NetworkOperatorConfig config,
                   LifecycleConfig lifecycle);

  // The cluster as installed: what the configuration renders is in place,
  // and the IPsec pods start at `seconds` on every node.
  void Install(double seconds);
  // Runs the steps one after the other, the first at `firstSeconds`.
  void RunProcedure(std::vector<LifecycleStep> steps, double firstSeconds);

  const NetworkOperatorConfig& Config() const { return config_; }
  RenderedIpsec Rendered() const { return config_.Render(lifecycle_.platform, lifecycle_.fixes); }
  bool NbGlobalIpsec() const { return nbIpsec_; }
  std::vector<std::string> DaemonSets() const;  // those that exist now
  const std::vector<LifecycleLogLine>& Log() const { return log_; }
  bool NodeUp(uint32_t node) const { return nodes_.at(node).up; }
  // When the procedure finished (nullopt while it runs), and how long the
  // rollouts of each step took, summed.
  std::optional<double> FinishedAt() const { return finishedAt_; }
  double RolloutSeconds() const { return rolloutSeconds_; }
  uint32_t Reboots() const { return reboots_; }
  uint32_t PodStarts() const { return podStarts_; }

 private:
  struct PodState {
    OcpVersion version;  // of the DaemonSet template it was made from
    bool ready = false;
    uint64_t generation = 0;
  };
  struct NodeState {
    bool up = true;
    bool hostLibreswan = false;            // the ipsec extension is installed
    OcpVersion os;                         // the release its OS image belongs to
    std::map<std::string, PodState> pods;  // IPsec DaemonSet -> its pod here
  };
  using Done = std::function<void()>;
  using PerNode = std::function<void(uint32_t node, Done done)>;

  void RunStep(size_t index);
  void Converge(Done done);  // the operator reconciles after a change
  void SetNbGlobal(bool ipsec);
  std::set<std::string> WantedDaemonSets() const;
  bool AllNodesHaveLibreswan() const;
  void ReconcileDaemonSets(Done done);
  void RollInBatches(std::vector<uint32_t> nodes, size_t batch, PerNode each, Done done);
  void RollDaemonSets(std::vector<uint32_t> nodes, Done done);
  void ReplaceOutdatedPods(uint32_t node, Done ready);
  void StopPod(uint32_t node, const std::string& daemonSet);
  void StartPod(uint32_t node, const std::string& daemonSet, Done ready);
  std::string ActiveDaemonSet(uint32_t node) const;
  void RollMachineConfigs(Done done);
  void RollPool(std::vector<uint32_t> pending, Done done);
  void UpdateNode(uint32_t node, Done done);
  void SyncDaemon(uint32_t node);
  bool NodeNeedsUpdate(uint32_t node) const;
  void SetLinkUp(uint32_t node, bool up);
  double Jitter(double max);
  uint32_t DaemonSetBatch() const;
  void Say(const std::string& text);

  ClusterWorld& world_;
  IkeMesh& mesh_;
  NetworkOperatorConfig config_;
  LifecycleConfig lifecycle_;
  std::vector<NodeState> nodes_;
  std::map<std::string, OcpVersion> daemonSets_;  // existing DaemonSet -> template release
  bool nbIpsec_ = false;
  bool nbEncapsulation_ = false;
  std::vector<LifecycleStep> steps_;
  std::vector<LifecycleLogLine> log_;
  std::optional<double> finishedAt_;
  double rolloutSeconds_ = 0;
  uint32_t reboots_ = 0;
  uint32_t podStarts_ = 0;
  uint64_t draws_ = 0;
  uint64_t podGenerations_ = 0;
};

}  // namespace ipsecsim::sim
