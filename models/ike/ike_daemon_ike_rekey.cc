// IkeDaemon: rekeying an IKE SA before its lifetime (RFC 7296 §1.3.2,
// §2.18). IkeLifetime - IkeRekeyMargin after an IKE SA is established, the
// end that created it (half the margin later on the other end, so the two
// rarely collide) sends a CREATE_CHILD_SA with an IKE proposal. When the
// exchange completes, both ends make the new IKE SA, move the Child SAs and
// anything still queued to it, and the initiator of the rekey deletes the
// old IKE SA with an INFORMATIONAL Delete. The ESP states are not touched,
// so traffic does not notice. If both ends rekeyed at once, the redundant
// new IKE SA is found by the lowest nonce (ResolveIkeRekeyCollision).
#include <algorithm>

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
  ++m_counters.ikeSasRekeyed;
  m_log.push_back(LogLine("IKE SA " + std::to_string(oldSpi) + " rekeyed: new IKE SA " +
                          std::to_string(newSpi)));
  const uint64_t rival = old->second.replacedBy;
  if (rival != 0 && m_sas.count(rival)) {
    ResolveIkeRekeyCollision(oldSpi, rival, newSpi);
    return;
  }
  MoveToSuccessor(oldSpi, newSpi);
  StartUsing(slot);
  if (rekey.initiatedHere) DeleteIkeSa(oldSpi);
  Kick(slot);
}

// RFC 7296 §2.8.2: both ends rekeyed the IKE SA at once. Each end answers
// the other's request before its own response arrives, so the second
// completion finds the first. The new IKE SA holding the lowest of the four
// nonces is redundant: its creator deletes it; the creator of the other one
// deletes the old IKE SA. Both ends decide alike from the same nonces.
void IkeDaemon::ResolveIkeRekeyCollision(uint64_t oldSpi, uint64_t first, uint64_t second) {
  ++m_counters.ikeRekeyCollisions;
  const IkeSaContext& a = m_sas.at(first).sa->Context();
  const IkeSaContext& b = m_sas.at(second).sa->Context();
  const bool secondLoses = std::min(b.nonceI, b.nonceR) < std::min(a.nonceI, a.nonceR);
  const uint64_t winner = secondLoses ? first : second;
  const uint64_t loser = secondLoses ? second : first;
  if (secondLoses) {
    m_sas.at(second).replacedBy = first;
  } else {
    MoveToSuccessor(first, second);
    m_sas.at(oldSpi).replacedBy = second;
    StartUsing(m_sas.at(second));
  }
  m_log.push_back(LogLine("IKE SA rekey collision: keeping " + std::to_string(winner) + ", " +
                          std::to_string(loser) + " is redundant"));
  if (m_sas.at(winner).sa->Context().initiator) DeleteIkeSa(oldSpi);
  if (m_sas.at(loser).sa->Context().initiator) DeleteIkeSa(loser);
  Kick(m_sas.at(winner));
}

void IkeDaemon::MoveToSuccessor(uint64_t from, uint64_t to) {
  SaSlot& old = m_sas.at(from);
  SaSlot& next = m_sas.at(to);
  old.replacedBy = to;
  old.sa->MoveQueueTo(*next.sa);
  // NAT keepalives keep their rhythm: the new IKE SA sends the next one.
  if (old.keepalive.IsRunning())
    next.keepalive = ns3::Simulator::Schedule(ns3::Simulator::GetDelayLeft(old.keepalive),
                                              &IkeDaemon::KeepaliveTick, this, to);
  old.liveness.Cancel();
  old.keepalive.Cancel();
  old.ikeRekey.Cancel();
  for (auto& [name, c] : m_connections) {
    if (c.ikeSa == from) c.ikeSa = to;
    for (InstalledChild& rec : c.children)
      if (rec.ikeSa == from) rec.ikeSa = to;
  }
}

void IkeDaemon::StartUsing(SaSlot& slot) {
  ScheduleLiveness(slot);
  ScheduleKeepalive(slot);
  ScheduleIkeRekey(slot);
}

uint64_t IkeDaemon::Carrier(const SaSlot& slot) const {
  uint64_t spi = slot.sa->LocalSpi();
  for (auto it = m_sas.find(spi); it != m_sas.end() && it->second.replacedBy != 0;
       it = m_sas.find(spi))
    spi = it->second.replacedBy;
  return spi;
}

}  // namespace ipsecsim::ike
