#include "ovs_monitor_ipsec.h"

#include <ns3/simulator.h>

namespace ipsecsim::sim {

using ike::ConnectionState;

OvsMonitorIpsec::OvsMonitorIpsec(ns3::Ptr<ike::IkeDaemon> daemon, ns3::Time interval,
                                 ns3::Ptr<xfrm::XfrmStack> kernel)
    : daemon_(daemon), kernel_(kernel), interval_(interval) {}

// The connection's inbound state, or the policy its outbound traffic
// needs, is missing from the kernel (flushed under the daemon's feet).
bool OvsMonitorIpsec::KernelLacks(const ike::ConnectionConfig& config,
                                  const ike::ConnectionStatus& status) const {
  if (!kernel_ || status.spiIn == 0) return false;
  const bool state = kernel_->States().UsesSpi(status.spiIn);
  const auto port = [](ike::PortSpan span) {
    return span.low == span.high ? span.low : uint16_t(49152);
  };
  const xfrm::FlowTuple out = xfrm::FlowTuple::Between(
      ike::Ns3AddressOf(config.localAddress), ike::Ns3AddressOf(config.remoteAddress),
      config.protocol, port(config.localPorts), port(config.remotePorts));
  const bool policy =
      kernel_->DecideOutbound(out).kind != xfrm::XfrmStack::OutboundDecision::Kind::kClear;
  return !state || !policy;
}

void OvsMonitorIpsec::Add(const ike::ConnectionConfig& connection, bool initiate) {
  ike::ConnectionConfig c = connection;
  c.autoMode = initiate ? ike::AutoMode::kStart : ike::AutoMode::kAdd;
  connections_.push_back({c, initiate, ns3::Time()});
}

void OvsMonitorIpsec::Start(ns3::Time at) {
  ns3::Simulator::Schedule(at, [self = shared_from_this()] { self->Load(); });
}

void OvsMonitorIpsec::Load() {
  if (stopped_) return;
  for (Tracked& t : connections_) {
    t.startedAt = ns3::Simulator::Now();
    const ConnectionState state = daemon_->Status(t.config.name).state;
    if (state == ConnectionState::kUp || state == ConnectionState::kConnecting) continue;
    // `ipsec auto --add` replaces what pluto still holds of the connection.
    daemon_->DeleteConnection(t.config.name);
    daemon_->AddConnection(t.config);
  }
  if (interval_.IsStrictlyPositive()) {
    ns3::Simulator::Schedule(interval_, [self = shared_from_this()] { self->Reconcile(); });
  }
}

void OvsMonitorIpsec::Reconcile() {
  if (stopped_) return;
  ++counters_.reconciliations;
  const ns3::Time now = ns3::Simulator::Now();
  for (Tracked& t : connections_) {
    const ike::ConnectionStatus status = daemon_->Status(t.config.name);
    const ConnectionState state = status.state;
    if (state == ConnectionState::kUp && KernelLacks(t.config, status)) {
      // The Delete tells the peer to drop its half; whoever starts the
      // connection then brings it up afresh.
      daemon_->DeleteConnection(t.config.name);
      daemon_->AddConnection(t.config);
      if (t.initiate) daemon_->Initiate(t.config.name);
      ++counters_.staleRestarted;
      t.startedAt = now;
      continue;
    }
    if (!t.initiate || state == ConnectionState::kUp) continue;
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
