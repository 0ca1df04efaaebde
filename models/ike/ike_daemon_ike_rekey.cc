// IkeDaemon: rekeying an IKE SA before its lifetime (RFC 7296 §1.3.2,
// §2.18). IkeLifetime - IkeRekeyMargin after an IKE SA is established, the
// end that created it (half the margin later on the other end, so the two
// rarely collide) sends a CREATE_CHILD_SA with an IKE proposal. When the
// exchange completes, both ends make the new IKE SA, move the Child SAs and
// anything still queued to it, and the initiator of the rekey deletes the
// old IKE SA with an INFORMATIONAL Delete. The ESP states are not touched,
// so traffic does not notice.
#include "ike_daemon.h"
#include "ike_tasks.h"
#include "ns3/simulator.h"

namespace ipsecsim::ike {

void IkeDaemon::ScheduleIkeRekey(SaSlot& slot) {
  if (slot.ikeRekeyArmed || !m_ikeLifetime.IsStrictlyPositive()) return;
  slot.ikeRekeyArmed = true;
  const ns3::Time margin = slot.sa->Context().initiator ? m_ikeRekeyMargin : m_ikeRekeyMargin / 2;
  const ns3::Time at = m_ikeLifetime > margin ? m_ikeLifetime - margin : m_ikeLifetime;
  slot.ikeRekey = ns3::Simulator::Schedule(at, &IkeDaemon::IkeRekeyTick, this, slot.sa->LocalSpi());
}

void IkeDaemon::IkeRekeyTick(uint64_t localSpi) {
  auto it = m_sas.find(localSpi);
  if (it == m_sas.end() || it->second.deleting || it->second.replacedBy != 0 ||
      it->second.sa->State() != IkeSaState::kEstablished)
    return;
  m_log.push_back(LogLine("IKE SA " + std::to_string(localSpi) + ": rekeying"));
  // The request carries a fresh D-H public value.
  Spend(m_dhCost, [this, localSpi]() {
    auto slot = m_sas.find(localSpi);
    if (slot == m_sas.end() || slot->second.deleting || slot->second.replacedBy != 0) return;
    std::vector<std::unique_ptr<IkeTask>> tasks;
    tasks.push_back(MakeIkeRekeyTask());
    slot->second.sa->Queue(ExchangeType::kCreateChildSa, std::move(tasks));
    Kick(slot->second);
  });
}

bool IkeDaemon::RekeyIkeSa(const std::string& name) {
  auto c = m_connections.find(name);
  if (c == m_connections.end() || c->second.state != ConnectionState::kUp) return false;
  auto slot = m_sas.find(c->second.ikeSa);
  if (slot == m_sas.end() || slot->second.deleting || slot->second.replacedBy != 0 ||
      slot->second.sa->State() != IkeSaState::kEstablished)
    return false;
  slot->second.ikeRekey.Cancel();
  IkeRekeyTick(slot->first);
  return true;
}

void IkeDaemon::AdoptRekeyedIkeSa(uint64_t oldSpi, const IkeSaEvents::IkeRekey& rekey) {
  auto old = m_sas.find(oldSpi);
  if (old == m_sas.end()) return;
  std::unique_ptr<IkeSa> sa = IkeSa::FromRekey(*old->second.sa, rekey);
  const uint64_t newSpi = sa->LocalSpi();
  SaSlot& slot = m_sas[newSpi];  // std::map: `old` stays valid
  slot.sa = std::move(sa);
  slot.connection = old->second.connection;
  old->second.replacedBy = newSpi;
  old->second.sa->MoveQueueTo(*slot.sa);
  // NAT keepalives keep their rhythm: the new IKE SA sends the next one.
  if (old->second.keepalive.IsRunning())
    slot.keepalive = ns3::Simulator::Schedule(ns3::Simulator::GetDelayLeft(old->second.keepalive),
                                              &IkeDaemon::KeepaliveTick, this, newSpi);
  old->second.liveness.Cancel();
  old->second.keepalive.Cancel();
  old->second.ikeRekey.Cancel();
  for (auto& [name, c] : m_connections) {
    if (c.ikeSa == oldSpi) c.ikeSa = newSpi;
    for (InstalledChild& rec : c.children)
      if (rec.ikeSa == oldSpi) rec.ikeSa = newSpi;
  }
  ++m_counters.ikeSasRekeyed;
  m_log.push_back(LogLine("IKE SA " + std::to_string(oldSpi) + " rekeyed: new IKE SA " +
                          std::to_string(newSpi) +
                          (rekey.initiatedHere ? ", deleting the old one" : "")));
  ScheduleLiveness(slot);
  ScheduleKeepalive(slot);
  ScheduleIkeRekey(slot);
  if (rekey.initiatedHere) DeleteIkeSa(oldSpi);
  Kick(slot);
}

uint64_t IkeDaemon::Carrier(const SaSlot& slot) const {
  uint64_t spi = slot.sa->LocalSpi();
  for (auto it = m_sas.find(spi); it != m_sas.end() && it->second.replacedBy != 0;
       it = m_sas.find(spi))
    spi = it->second.replacedBy;
  return spi;
}

}  // namespace ipsecsim::ike
