// What ovs-monitor-ipsec does on top of pluto (mechanics §7): it loads a
// node's connections, starts the ones its version initiates, and every
// 15 s reconciles: a started connection that is down is brought up again,
// and one still not active 15 s after it was started is deleted and loaded
// afresh. A connection counts as active only when its Child SA exists.
// Every reconciliation also deletes, as outdated, any other connection with
// a state whose name reads like one of its tunnels' (a hyphen and digits).
#pragma once

#include <ns3/nstime.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ike_connection.h"
#include "ike_daemon.h"
#include "xfrm_stack.h"

namespace ipsecsim::sim {

// Scheduled events hold the monitor, so it lives as long as the simulation
// needs it, whoever keeps the shared_ptr that Create returns.
class OvsMonitorIpsec : public std::enable_shared_from_this<OvsMonitorIpsec> {
 public:
  struct Counters {
    uint64_t reconciliations = 0;
    uint64_t broughtUp = 0;        // Initiate() on a loaded connection that was down
    uint64_t restarted = 0;        // deleted and loaded again after 15 s without a Child SA
    uint64_t staleRestarted = 0;   // reported up, but the kernel lacked its state
    uint64_t outdatedDeleted = 0;  // other connections whose names look like old tunnels
  };

  // interval 0 disables reconciliation (load and start only). With
  // `kernel` (the vendor's fixed monitor), a connection the daemon reports
  // up but whose inbound ESP state the kernel no longer holds counts as
  // inactive and is restarted; without it the daemon's word is taken.
  OvsMonitorIpsec(ns3::Ptr<ike::IkeDaemon> daemon, ns3::Time interval,
                  ns3::Ptr<xfrm::XfrmStack> kernel = nullptr);
  // `initiate`: whether this version's monitor starts the connection, or only loads it.
  void Add(const ike::ConnectionConfig& connection, bool initiate);
  // Loads everything at `at`, then reconciles every interval. A monitor
  // started beside a pluto that already runs leaves the connections pluto
  // has up (or is bringing up) as they are.
  void Start(ns3::Time at);
  // The monitor's process ends with its pod: no more loading or reconciling.
  void Stop();
  ~OvsMonitorIpsec();
  const Counters& GetCounters() const { return counters_; }

 private:
  struct Tracked {
    ike::ConnectionConfig config;
    bool initiate;
    ns3::Time startedAt;
  };
  void Load();
  void Reconcile();
  // A round that changed nothing, with no connection of its own still
  // connecting, would be repeated identically until the daemon or the
  // kernel changes: the rounds sleep until then, and resume on the grid
  // of 15 s they keep to.
  void Sleep();
  void Wake();
  void ScheduleReconcile(ns3::Time wait);
  // refresh()'s "Delete old connections" over the connections it did not load.
  void DeleteOutdated();

  bool KernelLacks(const ike::ConnectionConfig& config, const ike::IkeDaemon::Brief& status) const;

  ns3::Ptr<ike::IkeDaemon> daemon_;
  ns3::Ptr<xfrm::XfrmStack> kernel_;
  ns3::Time interval_;
  std::vector<Tracked> connections_;
  std::set<std::string> ownNames_;  // connections_' names
  bool asleep_ = false;
  bool watching_ = false;  // subscribed to the daemon's Changed trace
  ns3::Time lastRound_;
  Counters counters_;
  bool stopped_ = false;
};

}  // namespace ipsecsim::sim
