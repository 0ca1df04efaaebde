// What each release's IPsec pods do on a node, as their scripts in
// openshift/cluster-network-operator bindata/network/ovn-kubernetes/common/
// ipsec-containerized.yaml and ipsec-host.yaml say (docs/lifecycle.md gives
// the branch or commit of each behaviour).
#include <ns3/core-module.h>

#include "cluster_lifecycle.h"

namespace ipsecsim::sim {

using namespace ns3;

namespace {

constexpr double kMaxBackoffSeconds = 300;  // kubelet's CrashLoopBackOff cap

}  // namespace

Libreswan ClusterLifecycle::HostLibreswan(uint32_t node) const {
  return ReleaseFor(nodes_[node].os, lifecycle_.fixes, lifecycle_.libreswan).hostLibreswan;
}

std::string ClusterLifecycle::PlutoName(uint32_t node) const {
  switch (nodes_[node].pluto) {
    case Pluto::kHost:
      return "the host's pluto (libreswan " + ToString(HostLibreswan(node)) + ")";
    case Pluto::kContainer:
      return "the containerized pod's pluto";
    case Pluto::kNone:
      break;
  }
  return "no pluto";
}

DaemonBehaviour ClusterLifecycle::Behaviour(const OcpVersion& release, Libreswan pluto) const {
  const IpsecRelease r = ReleaseFor(release, lifecycle_.fixes, lifecycle_.libreswan);
  DaemonBehaviour b;
  b.initiation = r.initiatesBothSides ? InitiationPolicy::kBoth : InitiationPolicy::kOutOnly;
  b.crossing = HasCrossingStreamsDefect(pluto) ? ike::CrossingStreamsProfile::kLibreswan4xDefect
                                               : ike::CrossingStreamsProfile::kRfc7296;
  b.reconcileChecksKernel = r.reconcileChecksKernel;
  b.forceEncapsulation = nbEncapsulation_;
  b.modelledCrypto = lifecycle_.modelledCrypto;
  return b;
}

// The extension's ipsecenabler.service runs `systemctl enable --now
// ipsec.service` before kubelet: the host's pluto runs before any pod.
void ClusterLifecycle::BootHostPluto(uint32_t node) {
  NodeState& n = nodes_[node];
  if (!n.hostLibreswan || !n.ipsecService || n.pluto != Pluto::kNone) return;
  StartHostPluto(node, Behaviour(n.os, HostLibreswan(node)));
  if (n.pluto == Pluto::kHost) SayNode(node, "ipsec.service starts the host's pluto", true);
}

// ipsec.service runs `addconn --checkconfig` before pluto; pluto then loads
// /etc/ipsec.conf, whose include takes /etc/ipsec.d/*.conf: the user's
// files and, once ovs-monitor-ipsec has written it, openshift.conf. Which
// of the two loads applies follows IPsec Full now (assumption: the file is
// there whenever pod-to-pod IPsec is on; what a disable leaves of it is not
// modelled).
void ClusterLifecycle::StartHostPluto(uint32_t node, const DaemonBehaviour& behaviour) {
  NodeIpsec& ipsec = *mesh_.nodes[node];
  const UserMachineConfig* user = BootedUserConfig(node);
  std::vector<ike::ConnectionConfig> connections;
  const bool full = config_.Intent() == IpsecIntent::kFull;
  if (user) {
    const auto& loads = full ? user->withOvn : user->alone;
    if (auto it = loads.find(node); it != loads.end()) connections = it->second;
  }
  ipsec.SetHostConnections(std::move(connections));
  ipsec.SetOvnConnectionDefaults(user && full ? user->ovnDefaults : ike::ConnectionDefaults{});
  ipsec.SetPlutoRefused(user && user->plutoRefused);
  ipsec.StartPluto(behaviour);
  if (ipsec.Running()) {
    nodes_[node].pluto = Pluto::kHost;
    return;
  }
  nodes_[node].pluto = Pluto::kNone;
  const std::string from = user ? " (" + user->name + ")" : "";
  SayNode(node,
          "ipsec.service fails: addconn --checkconfig cannot load /etc/ipsec.conf" + from +
              ", no pluto runs",
          true);
}

void ClusterLifecycle::Flush(uint32_t node, const std::string& who) {
  const size_t states = mesh_.nodes[node]->Stack()->States().Size();
  SayNode(node,
          who + " flushes xfrm state and policy (" + std::to_string(states) + " states) under " +
              PlutoName(node),
          true);
  mesh_.nodes[node]->Stack()->Flush();
}

// `chroot /proc/1/root ipsec restart`: pluto stops as `ipsec stop` does
// (Deletes to the peers), and a new one starts knowing no connection.
void ClusterLifecycle::RestartHostPluto(uint32_t node, const std::string& why) {
  NodeState& n = nodes_[node];
  SayNode(node, why + ": ipsec restart of " + PlutoName(node), true);
  mesh_.nodes[node]->StopDaemon(true);
  n.pluto = Pluto::kNone;
  StartHostPluto(node, Behaviour(n.os, HostLibreswan(node)));
}

bool ClusterLifecycle::MonitorWanted(uint32_t node) const {
  const NodeState& n = nodes_[node];
  if (!n.up || !nbIpsec_ || n.pluto == Pluto::kNone) return false;
  for (const auto& [ds, pod] : n.pods)
    if (pod.role == PodRole::kRunsMonitor || pod.role == PodRole::kRunsPluto) return true;
  return false;
}

// ovs-monitor-ipsec configures connections for the tunnels OVN marks for
// IPsec; with NB_Global ipsec=false there are none, and it deletes them.
void ClusterLifecycle::SyncMonitor(uint32_t node) {
  NodeIpsec& ipsec = *mesh_.nodes[node];
  const bool wanted = MonitorWanted(node);
  if (wanted && !ipsec.MonitorRunning()) {
    for (const auto& [ds, pod] : nodes_[node].pods) {
      if (pod.role != PodRole::kRunsMonitor && pod.role != PodRole::kRunsPluto) continue;
      ipsec.StartMonitor(Behaviour(pod.made.version, Libreswan::kDefault));
      break;
    }
  } else if (!wanted && ipsec.MonitorRunning() && !nbIpsec_) {
    SayNode(node, "ovs-monitor-ipsec deletes every connection (NB_Global ipsec=false)", true);
    ipsec.DeleteAllConnections();
    ipsec.StopMonitor();
  }
}

void ClusterLifecycle::StartPod(uint32_t node, const std::string& daemonSet, Done ready) {
  NodeState& n = nodes_[node];
  auto ds = daemonSets_.find(daemonSet);
  if (ds == daemonSets_.end()) return ready();
  PodState& pod = n.pods[daemonSet];
  pod = PodState{ds->second, PodRole::kStarting, ++podGenerations_};
  const double delay =
      lifecycle_.timing.podStartSeconds + Jitter(lifecycle_.timing.podStartJitterSeconds);
  const uint64_t generation = pod.generation;
  Simulator::Schedule(Seconds(delay), [this, node, daemonSet, generation, ready] {
    RunPodScript(node, daemonSet, generation);
    ready();
  });
}

void ClusterLifecycle::RunPodScript(uint32_t node, const std::string& daemonSet,
                                    uint64_t generation) {
  NodeState& n = nodes_[node];
  auto it = n.pods.find(daemonSet);
  if (!n.up || it == n.pods.end() || it->second.generation != generation) return;
  ++podStarts_;
  PodState& pod = it->second;
  if (certs_) {
    // The init container ovn-keys runs before the pod's main container.
    const std::string renewal = certs_->PodStart(node);
    if (!renewal.empty()) SayNode(node, renewal, true);
    mesh_.nodes[node]->SetIdentity(certs_->Identity(node));
  }
  if (daemonSet == kDaemonSetContainerized) {
    RunContainerized(node, pod);
  } else if (daemonSet == kDaemonSetHost) {
    RunHost(node, pod, daemonSet, generation);
  } else {
    RunLegacy(node, pod);
  }
  SyncMonitor(node);
}

// Releases before 4.14 (not read from the manifests): the pod runs pluto.
void ClusterLifecycle::RunLegacy(uint32_t node, PodState& pod) {
  SayNode(node, std::string(kDaemonSetLegacy) + " pod starts its pluto", true);
  mesh_.nodes[node]->StopDaemon(false);
  mesh_.nodes[node]->StartPluto(
      Behaviour(
          pod.made.version,
          ReleaseFor(pod.made.version, lifecycle_.fixes, lifecycle_.libreswan).containerLibreswan),
      PlutoFiles::kImage);
  nodes_[node].pluto = Pluto::kContainer;
  pod.role = PodRole::kRunsPluto;
}

void ClusterLifecycle::RunContainerized(uint32_t node, PodState& pod) {
  NodeState& n = nodes_[node];
  const IpsecRelease r = ReleaseFor(pod.made.version, lifecycle_.fixes, lifecycle_.libreswan);
  const std::string name = std::string(kDaemonSetContainerized) + " " + pod.made.version.ToString();
  const PodGate gate = r.pods.containerizedSleepsWhenHost;
  const bool hostServes = (gate == PodGate::kHostLibreswanRpm && n.hostLibreswan) ||
                          (gate == PodGate::kHostIpsecServiceActive && pod.made.serviceCheck &&
                           n.pluto == Pluto::kHost);
  if (hostServes) {
    SayNode(
        node,
        name + " pod: " +
            (gate == PodGate::kHostLibreswanRpm ? "host has libreswan" : "ipsec.service active") +
            ", sleep infinity",
        false);
    pod.role = PodRole::kSleeping;
    return;
  }
  if (n.pluto == Pluto::kHost) {
    // Its pluto cannot take UDP 500 from the host's (assumption): the pod
    // only flushes.
    Flush(node, name + " pod");
    pod.role = PodRole::kSleeping;
    return;
  }
  Flush(node, name + " pod");
  mesh_.nodes[node]->StopDaemon(false);
  mesh_.nodes[node]->StartPluto(Behaviour(pod.made.version, r.containerLibreswan),
                                PlutoFiles::kImage);
  n.pluto = Pluto::kContainer;
  SayNode(node, name + " pod starts its pluto (libreswan " + ToString(r.containerLibreswan) + ")",
          true);
  pod.role = PodRole::kRunsPluto;
}

void ClusterLifecycle::RunHost(uint32_t node, PodState& pod, const std::string& daemonSet,
                               uint64_t generation) {
  NodeState& n = nodes_[node];
  const IpsecRelease r = ReleaseFor(pod.made.version, lifecycle_.fixes, lifecycle_.libreswan);
  const std::string name = std::string(kDaemonSetHost) + " " + pod.made.version.ToString();
  const PodGate gate = r.pods.hostSleepsUnlessHost;
  const bool sleeps = (gate == PodGate::kHostLibreswanRpm && !n.hostLibreswan) ||
                      (gate == PodGate::kHostIpsecServiceActive && pod.made.serviceCheck &&
                       n.pluto != Pluto::kHost);
  if (sleeps) {
    SayNode(node, name + " pod: no host IPsec, sleep infinity", false);
    pod.role = PodRole::kSleeping;
    return;
  }
  if (n.pluto != Pluto::kHost) {
    // `pgrep pluto` finds none it can restart: exit 2, and the kubelet
    // starts the container again after its back-off.
    SayNode(node, name + " pod: pluto is not running, exit 2 (CrashLoopBackOff)", false);
    pod.role = PodRole::kCrashLoop;
    const double wait = pod.backoff;
    pod.backoff = std::min(pod.backoff * 2, kMaxBackoffSeconds);
    Simulator::Schedule(Seconds(wait), [this, node, daemonSet, generation] {
      RunPodScript(node, daemonSet, generation);
    });
    return;
  }
  if (r.pods.hostFlushesAtStart) Flush(node, name + " pod");
  const PlutoRestart restart = r.pods.hostRestartsPluto;
  if (restart == PlutoRestart::kEveryStart ||
      (restart == PlutoRestart::kFirstStartOnNode && !n.confCommented)) {
    RestartHostPluto(node, name + " pod");
  }
  if (restart == PlutoRestart::kFirstStartOnNode) n.confCommented = true;
  SayNode(node, name + " pod runs ovs-monitor-ipsec beside " + PlutoName(node), false);
  pod.role = PodRole::kRunsMonitor;
}

void ClusterLifecycle::StopPod(uint32_t node, const std::string& daemonSet) {
  NodeState& n = nodes_[node];
  auto it = n.pods.find(daemonSet);
  if (it == n.pods.end()) return;
  const PodState pod = it->second;
  n.pods.erase(it);
  NodeIpsec& ipsec = *mesh_.nodes[node];
  const IpsecRelease r = ReleaseFor(pod.made.version, lifecycle_.fixes, lifecycle_.libreswan);
  if (pod.role == PodRole::kRunsPluto) {
    if (daemonSet == kDaemonSetLegacy) {
      SayNode(node, std::string(kDaemonSetLegacy) + " pod stops: ipsec stop", true);
      ipsec.StopDaemon(true);
    } else {
      // SIGTERM waits while bash runs ovs-monitor-ipsec in the foreground;
      // after the grace period SIGKILL ends pluto: no Delete is sent and
      // the kernel keeps its SAs.
      SayNode(node, daemonSet + " pod stops: its pluto is killed, the kernel keeps its SAs", true);
      ipsec.StopDaemon(false);
    }
    n.pluto = Pluto::kNone;
  } else if (pod.role == PodRole::kRunsMonitor) {
    // preStop kills ovs-monitor-ipsec; the host's pluto keeps its SAs.
    SayNode(node, daemonSet + " pod stops: preStop kills ovs-monitor-ipsec", false);
    ipsec.StopMonitor();
    const SigtermFlush sidecar = r.pods.hostSidecar;
    const bool notFull = config_.Intent() != IpsecIntent::kFull;
    if (sidecar == SigtermFlush::kAlways ||
        (sidecar == SigtermFlush::kOnlyWhenNotFull && notFull)) {
      Flush(node, "ovn-ipsec-cleanup sidecar");
      if (n.pluto == Pluto::kHost) RestartHostPluto(node, "ovn-ipsec-cleanup sidecar");
    }
  }
  SyncMonitor(node);
}

}  // namespace ipsecsim::sim
