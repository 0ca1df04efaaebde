// The IPsec side of one node as its pods run it. The kernel's XfrmStack
// lives as long as the node; the IKE daemon (pluto) and ovs-monitor-ipsec
// live as long as the IPsec pod, or the host ipsec service, that runs them.
// Stopping and starting them here is what DaemonSet rollouts and reboots do.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cluster_world.h"
#include "connection_defaults.h"
#include "ike_connection.h"
#include "ike_daemon.h"
#include "ns3/object-factory.h"
#include "ovs_monitor_ipsec.h"
#include "xfrm_stack.h"

namespace ipsecsim::sim {

enum class InitiationPolicy { kOutOnly, kBoth };

// Where a pluto reads its configuration: the host's /etc/ipsec.conf (with
// the host's own connections), or a container image's, which mounts no
// /etc/ipsec.d from the host (release-4.14 af41a3620
// bindata/network/ovn-kubernetes/common/ipsec-containerized.yaml: `pluto
// --config /etc/ipsec.conf`, and no hostPath for /etc/ipsec.d).
enum class PlutoFiles { kHost, kImage };

// How one release's IPsec daemons behave (mechanics §7).
struct DaemonBehaviour {
  InitiationPolicy initiation = InitiationPolicy::kOutOnly;
  ike::CrossingStreamsProfile crossing = ike::CrossingStreamsProfile::kRfc7296;
  double reconcileSeconds = 15;  // ovs-monitor-ipsec's period; 0 disables it
  // Libreswan encapsulation=yes on every connection (IBM Cloud; Always).
  bool forceEncapsulation = false;
  bool modelledCrypto = false;  // capacity studies only (docs/ike.md)
  // The vendor's fixed ovs-monitor-ipsec: "active" means a Child SA in the
  // kernel, not the daemon's word.
  bool reconcileChecksKernel = false;
};

class NodeIpsec {
 public:
  // peerIds[j] is node j's IKE ID (entry `index` is ignored).
  NodeIpsec(ClusterWorld& world, uint32_t index, ns3::Ptr<xfrm::XfrmStack> stack,
            ike::IkeIdentity identity, std::vector<std::string> peerIds, uint64_t seed,
            int64_t epochSeconds);

  // An IkeDaemon attribute for every daemon this node starts from now on
  // (the node's ipsec.conf, e.g. NattKeepaliveInterval).
  void SetDaemonAttribute(const std::string& name, const ns3::AttributeValue& value) {
    daemonFactory_.Set(name, value);
  }
  // The host's own connections (its /etc/ipsec.d/*.conf beside OVN's
  // openshift.conf), which every pluto this node starts loads at once.
  void SetHostConnections(std::vector<ike::ConnectionConfig> connections) {
    hostConnections_ = std::move(connections);
  }
  // What the host's merged `conn %default` gives OVN's connections (those
  // the monitor loads from now on).
  void SetOvnConnectionDefaults(const ike::ConnectionDefaults& defaults) {
    ovnDefaults_ = defaults;
  }
  // The node's certificate, key and CA as its NSS database holds them from
  // now on (the IPsec pod's init container renewed them): daemons started
  // and OVN connections loaded from now on use them; those already loaded
  // keep what they read (pluto reads leftcert when a connection is added).
  void SetIdentity(ike::IkeIdentity identity);
  // The host's Libreswan configuration does not load: no host pluto this
  // node starts runs (ipsec.service fails), and with it no ovs-monitor-ipsec.
  void SetPlutoRefused(bool refused) { plutoRefused_ = refused; }
  // Hands every daemon this node starts from now on to `observer` before it
  // starts, for trace subscriptions.
  void WatchDaemons(std::function<void(ns3::Ptr<ike::IkeDaemon>)> observer) {
    daemonObservers_.push_back(std::move(observer));
  }

  // A new daemon and monitor start now; the monitor loads the connections
  // to every peer after loadDelay. flushFirst: the pod runs `ip xfrm state flush; ip xfrm policy
  // flush` before starting.
  void StartDaemon(const DaemonBehaviour& behaviour, bool flushFirst,
                   ns3::Time loadDelay = ns3::Time());
  // pluto alone (the host's ipsec.service at boot, or `ipsec restart`): it
  // knows no OVN connection until a monitor loads them; from the host's
  // files it loads the host's own connections.
  void StartPluto(const DaemonBehaviour& behaviour, PlutoFiles files = PlutoFiles::kHost);
  // A new ovs-monitor-ipsec beside the running pluto (none: nothing).
  void StartMonitor(const DaemonBehaviour& behaviour, ns3::Time loadDelay = ns3::Time());
  // The monitor's process ends (the host pod's preStop); pluto keeps going.
  void StopMonitor();
  bool MonitorRunning() const { return monitorRunning_; }
  // ovs-monitor-ipsec deletes every connection (`ipsec auto --delete`:
  // Deletes sent, states and policies removed); pluto keeps running.
  void DeleteAllConnections();
  // graceful: `ipsec stop` (Deletes sent, states and policies removed);
  // otherwise the process just ends and the kernel keeps its state.
  void StopDaemon(bool graceful);
  // A reboot: the daemon dies without a word and the kernel forgets
  // every state and policy.
  void LoseEverything();

  bool Running() const { return running_; }
  // The running daemon, or the last one (nullptr before the first start).
  ns3::Ptr<ike::IkeDaemon> Daemon() const { return daemon_; }
  std::shared_ptr<OvsMonitorIpsec> Monitor() const { return monitor_; }
  ns3::Ptr<xfrm::XfrmStack> Stack() const { return stack_; }
  uint32_t Starts() const { return starts_; }
  // Every pluto this node has run, the oldest first.
  std::vector<ns3::Ptr<ike::IkeDaemon>> Daemons() const;
  // Counters summed over every daemon this node has run.
  ike::IkeDaemonCounters TotalCounters() const;

 private:
  ike::ConnectionConfig Connection(uint32_t remote, bool out) const;

  ClusterWorld& world_;
  uint32_t index_;
  ns3::Ptr<xfrm::XfrmStack> stack_;
  ike::IkeIdentity identity_;
  std::shared_ptr<const ike::IkeIdentity> loadedIdentity_;  // set once SetIdentity is called
  std::vector<std::string> peerIds_;
  std::vector<ike::ConnectionConfig> hostConnections_;
  ike::ConnectionDefaults ovnDefaults_;
  bool plutoRefused_ = false;
  uint64_t seed_;
  int64_t epochSeconds_;
  bool running_ = false;
  bool monitorRunning_ = false;
  uint32_t starts_ = 0;
  ns3::ObjectFactory daemonFactory_;
  std::vector<std::function<void(ns3::Ptr<ike::IkeDaemon>)>> daemonObservers_;
  ns3::Ptr<ike::IkeDaemon> daemon_;
  std::shared_ptr<OvsMonitorIpsec> monitor_;
  // Stopped daemons stay alive: events scheduled before they stopped still
  // point at them and must find them (doing nothing).
  std::vector<ns3::Ptr<ike::IkeDaemon>> stopped_;
};

}  // namespace ipsecsim::sim
