#include "node_ipsec.h"

#include <ns3/core-module.h>

#include "geneve_header.h"
#include "ovn_connection_name.h"

namespace ipsecsim::sim {

using namespace ns3;

NodeIpsec::NodeIpsec(ClusterWorld& world, uint32_t index, Ptr<xfrm::XfrmStack> stack,
                     ike::IkeIdentity identity, std::vector<std::string> peerIds, uint64_t seed,
                     int64_t epochSeconds)
    : world_(world),
      index_(index),
      stack_(stack),
      identity_(std::move(identity)),
      peerIds_(std::move(peerIds)),
      seed_(seed),
      epochSeconds_(epochSeconds) {
  daemonFactory_.SetTypeId(ike::IkeDaemon::GetTypeId());
}

// The two transport-mode connections per peer over Geneve (mechanics §2):
//   out: local node IP, any UDP port  -> remote node IP, UDP 6081
//   in:  local node IP, UDP 6081      -> remote node IP, any UDP port
ike::ConnectionConfig NodeIpsec::Connection(uint32_t remote, bool out) const {
  ike::ConnectionConfig c;
  c.name = OvnConnectionName(world_.NodeName(index_), world_.NodeName(remote),
                             out ? OvnDirection::kOut : OvnDirection::kIn);
  c.localAddress = ike::IpAddressOf(world_.UnderlayIp(index_));
  c.remoteAddress = ike::IpAddressOf(world_.ReachableUnderlayIp(remote));  // a NAT's, if any
  c.remoteId = peerIds_.at(remote);
  c.protocol = 17;
  const ike::PortSpan geneve = ike::PortSpan::Single(geneve::kUdpPort);
  c.localPorts = out ? ike::PortSpan::Any() : geneve;
  c.remotePorts = out ? geneve : ike::PortSpan::Any();
  ovnDefaults_.FillIn(c);
  c.identity = loadedIdentity_;
  return c;
}

void NodeIpsec::SetIdentity(ike::IkeIdentity identity) {
  identity_ = std::move(identity);
  loadedIdentity_ = std::make_shared<const ike::IkeIdentity>(identity_);
}

void NodeIpsec::StartDaemon(const DaemonBehaviour& behaviour, bool flushFirst, Time loadDelay) {
  if (running_) StopDaemon(false);
  if (flushFirst) stack_->Flush();
  StartPluto(behaviour);
  StartMonitor(behaviour, loadDelay);
}

void NodeIpsec::StartPluto(const DaemonBehaviour& behaviour, PlutoFiles files) {
  if (running_) StopDaemon(false);
  const bool host = files == PlutoFiles::kHost;
  if (host && plutoRefused_) return;
  ++starts_;
  if (daemon_) stopped_.push_back(daemon_);
  daemon_ = daemonFactory_.Create<ike::IkeDaemon>();
  daemon_->SetAttribute("EpochSeconds", IntegerValue(epochSeconds_));
  // Every process draws its own SPIs, nonces and exponents.
  daemon_->SetAttribute("Seed", UintegerValue(seed_ * 1000003u + index_ + 7919u * (starts_ - 1)));
  daemon_->SetAttribute("ForceEncapsulation", BooleanValue(behaviour.forceEncapsulation));
  daemon_->SetAttribute("CrossingStreamsProfile", EnumValue(int(behaviour.crossing)));
  if (behaviour.modelledCrypto) daemon_->SetAttribute("ModelledCrypto", BooleanValue(true));
  for (const auto& observer : daemonObservers_) observer(daemon_);
  daemon_->Start(world_.Host(index_), identity_);
  if (host)
    for (const ike::ConnectionConfig& c : hostConnections_) daemon_->AddConnection(c);
  running_ = true;
}

void NodeIpsec::StartMonitor(const DaemonBehaviour& behaviour, Time loadDelay) {
  if (!running_) return;
  if (monitorRunning_) monitor_->Stop();
  monitor_ = std::make_shared<OvsMonitorIpsec>(daemon_, Seconds(behaviour.reconcileSeconds),
                                               behaviour.reconcileChecksKernel ? stack_ : nullptr);
  const bool startIn = behaviour.initiation == InitiationPolicy::kBoth;
  for (uint32_t peer = 0; peer < world_.NodeCount(); ++peer) {
    if (peer == index_) continue;
    // A node behind a NAT starts both connections to a peer outside it; the
    // peer only loads its own (it cannot open the NAT's mapping).
    const bool natPeer = world_.BehindNat(peer) && !world_.BehindNat(index_);
    monitor_->Add(Connection(peer, true), !natPeer);
    monitor_->Add(Connection(peer, false), startIn || world_.BehindNat(index_));
  }
  monitor_->Start(loadDelay);
  monitorRunning_ = true;
}

void NodeIpsec::StopMonitor() {
  if (monitorRunning_) monitor_->Stop();
  monitorRunning_ = false;
}

void NodeIpsec::DeleteAllConnections() {
  if (!running_) return;
  for (uint32_t peer = 0; peer < world_.NodeCount(); ++peer) {
    if (peer == index_) continue;
    daemon_->DeleteConnection(Connection(peer, true).name);
    daemon_->DeleteConnection(Connection(peer, false).name);
  }
}

void NodeIpsec::StopDaemon(bool graceful) {
  if (!running_) return;
  StopMonitor();
  daemon_->Stop(graceful);
  running_ = false;
}

void NodeIpsec::LoseEverything() {
  StopDaemon(false);
  stack_->Flush();
}

std::vector<Ptr<ike::IkeDaemon>> NodeIpsec::Daemons() const {
  std::vector<Ptr<ike::IkeDaemon>> all = stopped_;
  if (daemon_) all.push_back(daemon_);
  return all;
}

ike::IkeDaemonCounters NodeIpsec::TotalCounters() const {
  ike::IkeDaemonCounters total;
  auto add = [&total](const ike::IkeDaemonCounters& c) {
    total.childSasInstalled += c.childSasInstalled;
    total.crossingYields += c.crossingYields;
    total.duplicatesDeleted += c.duplicatesDeleted;
    total.deadPeers += c.deadPeers;
    total.gaveUp += c.gaveUp;
    total.sent += c.sent;
    total.received += c.received;
  };
  for (const auto& d : stopped_) add(d->Counters());
  if (daemon_) add(daemon_->Counters());
  return total;
}

}  // namespace ipsecsim::sim
