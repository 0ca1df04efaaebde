#include "ovs_monitor_ipsec.h"

#include <ns3/simulator.h>

namespace ipsecsim::sim {

using ike::ConnectionState;

OvsMonitorIpsec::OvsMonitorIpsec(ns3::Ptr<ike::IkeDaemon> daemon, ns3::Time interval)
    : daemon_(daemon), interval_(interval) {}

void OvsMonitorIpsec::Add(const ike::ConnectionConfig& connection, bool initiate) {
  ike::ConnectionConfig c = connection;
  c.autoMode = initiate ? ike::AutoMode::kStart : ike::AutoMode::kAdd;
  connections_.push_back({c, initiate, ns3::Time()});
}

void OvsMonitorIpsec::Start(ns3::Time at) {
  ns3::Simulator::Schedule(at, [self = shared_from_this()] { self->Load(); });
}

void OvsMonitorIpsec::Load() {
  for (Tracked& t : connections_) {
    daemon_->AddConnection(t.config);
    t.startedAt = ns3::Simulator::Now();
  }
  if (interval_.IsStrictlyPositive()) {
    ns3::Simulator::Schedule(interval_, [self = shared_from_this()] { self->Reconcile(); });
  }
}

void OvsMonitorIpsec::Reconcile() {
  ++counters_.reconciliations;
  const ns3::Time now = ns3::Simulator::Now();
  for (Tracked& t : connections_) {
    if (!t.initiate) continue;
    const ConnectionState state = daemon_->Status(t.config.name).state;
    if (state == ConnectionState::kUp) continue;
    if (state == ConnectionState::kConnecting) {
      if (now - t.startedAt < interval_) continue;
      daemon_->DeleteConnection(t.config.name);
      daemon_->AddConnection(t.config);
      ++counters_.restarted;
    } else {
      daemon_->Initiate(t.config.name);
      ++counters_.broughtUp;
    }
    t.startedAt = now;
  }
  ns3::Simulator::Schedule(interval_, [self = shared_from_this()] { self->Reconcile(); });
}

}  // namespace ipsecsim::sim
