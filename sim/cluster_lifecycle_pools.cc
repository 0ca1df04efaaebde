// The machine-config pools as the MCO reports them (`oc get mcp`), and the
// procedure step that waits for them to be Updated (docs/lifecycle.md,
// "Machine-config pools").
#include <ns3/core-module.h>

#include <cstdio>
#include <memory>

#include "cluster_lifecycle.h"
#include "rendered_config.h"

namespace ipsecsim::sim {

using namespace ns3;

namespace {
// What a machine's rendered MachineConfig holds, as far as the model goes:
// the release's OS image, the ipsec extension, the MTU configuration and
// the user's MachineConfig, if any.
std::string ConfigContent(const OcpVersion& os, bool extension, const OvnMtu& mtu,
                          const UserMachineConfig* user) {
  return "os " + os.ToString() + "\nextensions " + (extension ? "ipsec" : "") + "\nmtu " +
         std::to_string(mtu.mtu) + " routable " + std::to_string(mtu.routableMtu) + " machine " +
         std::to_string(mtu.machineMtu) + "\n" + (user ? "user " + user->name + "\n" : "");
}
}  // namespace

std::string ClusterLifecycle::NodeConfig(uint32_t node) const {
  const NodeState& n = nodes_[node];
  return ConfigContent(n.os, n.hostLibreswan, n.mtu, BootedUserConfig(node));
}

std::string ClusterLifecycle::TargetConfig(size_t pool) const {
  const UserMachineConfig* user = TargetUserConfig(pool);
  return ConfigContent(config_.Version(),
                       !Rendered().machineConfigs.empty() || (user && user->libreswan),
                       config_.RenderedMtu(), user);
}

std::string ClusterLifecycle::PoolName(size_t pool) const {
  if (pool < lifecycle_.poolNames.size()) return lifecycle_.poolNames[pool];
  return "pool-" + std::to_string(pool);
}

int ClusterLifecycle::PoolMaxUnavailable(size_t pool) const {
  const MaxUnavailable m =
      pool < lifecycle_.poolMaxUnavailable.size() && lifecycle_.poolMaxUnavailable[pool]
          ? *lifecycle_.poolMaxUnavailable[pool]
          : lifecycle_.timing.mcoMaxUnavailable;
  return ScaledMaxUnavailable(m, int(lifecycle_.pools[pool].size()));
}

// A node is done while no update is under way on it (from the cordon to
// ready it is not), and ready while up and not cordoned.
std::vector<PoolStatus> ClusterLifecycle::PoolStatuses() const {
  std::vector<PoolStatus> out;
  for (size_t p = 0; p < lifecycle_.pools.size(); ++p) {
    const std::string target = TargetConfig(p);
    std::vector<PoolNode> machines;
    for (uint32_t node : lifecycle_.pools[p]) {
      const NodeState& n = nodes_[node];
      PoolNode m;
      m.atTarget = NodeConfig(node) == target;
      m.done = !n.cordoned;
      m.ready = n.up && !n.cordoned;
      machines.push_back(m);
    }
    // Each pool renders its own MachineConfigs, so the names differ by pool.
    const std::string name = PoolName(p);
    out.push_back(CalculatePoolStatus(name, pools_[p].configuration,
                                      RenderedConfigName(name, "pool " + name + "\n" + target),
                                      machines));
  }
  return out;
}

// The node controller syncs a pool's status whenever a node or the pool's
// target changes; a wait step checks the conditions then.
void ClusterLifecycle::SyncPools() {
  const std::vector<PoolStatus> statuses = PoolStatuses();
  for (size_t p = 0; p < statuses.size(); ++p) pools_[p].configuration = statuses[p].configuration;
  const std::function<void()> watcher = poolWatcher_;  // it may clear itself
  if (watcher) watcher();
}

void ClusterLifecycle::SnapshotPools(const std::string& step) {
  SyncPools();
  poolSnapshots_.push_back({Simulator::Now().GetSeconds(), step, PoolStatuses()});
}

std::vector<PoolStatus> ClusterLifecycle::WaitedPools(const LifecycleStep& step) const {
  std::vector<PoolStatus> out;
  for (const PoolStatus& p : PoolStatuses()) {
    bool named = step.names.empty();
    for (const std::string& n : step.names) named |= n == p.name;
    if (named) out.push_back(p);
  }
  return out;
}

// oc wait mcp --for=condition=Updated: done once every pool it names has
// Updated=True, or failed when the timeout comes first.
void ClusterLifecycle::WaitForPools(size_t index, Done done) {
  const double now = Simulator::Now().GetSeconds();
  poolWaits_.push_back({index, now, now, false, {}});
  const size_t slot = poolWaits_.size() - 1;
  auto ended = std::make_shared<bool>(false);
  auto updated = [this, index] {
    for (const PoolStatus& p : WaitedPools(steps_[index]))
      if (!p.updated) return false;
    return true;
  };
  auto end = [this, slot, index, ended, done](bool timedOut) {
    if (*ended) return;
    *ended = true;
    poolWatcher_ = nullptr;
    PoolWait& w = poolWaits_[slot];
    w.ended = Simulator::Now().GetSeconds();
    w.timedOut = timedOut;
    w.pools = WaitedPools(steps_[index]);
    if (timedOut) {
      std::string which;
      for (const PoolStatus& p : w.pools) {
        if (p.updated) continue;
        which += (which.empty() ? "" : ", ") + p.name + " (" +
                 std::to_string(p.updatedMachineCount) + "/" + std::to_string(p.machineCount) +
                 " updated)";
      }
      char text[96];
      std::snprintf(text, sizeof text,
                    "timed out after %.1f s waiting for Updated: ", w.ended - w.started);
      Say(text + which);
    }
    done();
  };
  SyncPools();
  if (updated()) return end(false);
  poolWatcher_ = [updated, end] {
    if (updated()) end(false);
  };
  Simulator::Schedule(Seconds(steps_[index].timeoutSeconds), [end] { end(true); });
}

}  // namespace ipsecsim::sim
