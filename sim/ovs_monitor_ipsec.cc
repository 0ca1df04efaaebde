#include "ovs_monitor_ipsec.h"

#include <ns3/simulator.h>

#include <cctype>
#include <set>

#include "poll_grid.h"

namespace ipsecsim::sim {

using ike::ConnectionState;

OvsMonitorIpsec::OvsMonitorIpsec(ns3::Ptr<ike::IkeDaemon> daemon, ns3::Time interval,
                                 ns3::Ptr<xfrm::XfrmStack> kernel)
    : daemon_(daemon), kernel_(kernel), interval_(interval) {}

// The connection's inbound state, or the policy its outbound traffic
// needs, is missing from the kernel (flushed under the daemon's feet).
bool OvsMonitorIpsec::KernelLacks(const ike::ConnectionConfig& config,
                                  const ike::IkeDaemon::Brief& status) const {
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
  ownNames_.insert(c.name);
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
  if (interval_.IsStrictlyPositive()) ScheduleReconcile(interval_);
}

void OvsMonitorIpsec::ScheduleReconcile(ns3::Time wait) {
  ns3::Simulator::Schedule(wait, [self = shared_from_this()] { self->Reconcile(); });
}

void OvsMonitorIpsec::Sleep() {
  asleep_ = true;
  if (watching_) return;
  watching_ = true;
  daemon_->TraceConnectWithoutContext("Changed", ns3::MakeCallback(&OvsMonitorIpsec::Wake, this));
}

void OvsMonitorIpsec::Wake() {
  if (!asleep_ || stopped_) return;
  asleep_ = false;
  ScheduleReconcile(ike::WaitForNextGridPoint(lastRound_, interval_));
}

void OvsMonitorIpsec::Stop() {
  stopped_ = true;
  asleep_ = false;
  if (!watching_) return;
  watching_ = false;
  daemon_->TraceDisconnectWithoutContext("Changed",
                                         ns3::MakeCallback(&OvsMonitorIpsec::Wake, this));
}

OvsMonitorIpsec::~OvsMonitorIpsec() {
  if (watching_)
    daemon_->TraceDisconnectWithoutContext("Changed",
                                           ns3::MakeCallback(&OvsMonitorIpsec::Wake, this));
}

// openvswitch/ovs v3.1.0 ipsec/ovs-monitor-ipsec.in, LibreSwanHelper:
// get_active_conns() takes every connection with a state in `ipsec status`
// (lines "#N: \"NAME\"...") whose name matches (.*)(-in-\d+|-out-\d+), else
// (.*)(-\d+), as a connection of interface \1; refresh() then runs `ipsec
// auto --delete` on each whose interface is not one of its tunnels, or of
// another version ("%s is outdated"). The monitor's own connections always
// name a tunnel of theirs; a user's conn named like one (vpn-1) does not.
void OvsMonitorIpsec::DeleteOutdated() {
  // Both patterns, anchored at the start only (Python's re.match), match
  // exactly the names with a '-' followed by a digit somewhere; scanned by
  // hand, since a name comes from the user's file and has no length bound.
  auto tunnelLike = [](const std::string& name) {
    for (size_t i = 0; i + 1 < name.size(); ++i)
      if (name[i] == '-' && std::isdigit(static_cast<unsigned char>(name[i + 1]))) return true;
    return false;
  };
  std::vector<std::string> outdated;
  daemon_->ForEachConnectionState([&](const std::string& name, ConnectionState state) {
    if (ownNames_.count(name) || state == ConnectionState::kDown ||
        state == ConnectionState::kFailed)
      return;
    if (tunnelLike(name)) outdated.push_back(name);
  });
  for (const std::string& name : outdated) {
    daemon_->DeleteConnection(name);
    ++counters_.outdatedDeleted;
  }
}

void OvsMonitorIpsec::Reconcile() {
  if (stopped_) return;
  ++counters_.reconciliations;
  lastRound_ = ns3::Simulator::Now();
  const Counters before = counters_;
  DeleteOutdated();
  const ns3::Time now = ns3::Simulator::Now();
  bool connecting = false;
  for (Tracked& t : connections_) {
    const ike::IkeDaemon::Brief status = daemon_->BriefStatus(t.config.name);
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
      connecting = true;
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
  const bool acted = counters_.outdatedDeleted != before.outdatedDeleted ||
                     counters_.staleRestarted != before.staleRestarted ||
                     counters_.restarted != before.restarted ||
                     counters_.broughtUp != before.broughtUp;
  if (!acted && !connecting) return Sleep();
  ScheduleReconcile(interval_);
}

}  // namespace ipsecsim::sim
