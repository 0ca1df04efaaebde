// IkeDaemon: colliding Child SA rekeys (RFC 7296 §2.8.1). Both ends started a
// CREATE_CHILD_SA rekeying the same Child SA before seeing the other's, so
// two successors exist. Once a node has both, it compares the lowest nonce
// of each exchange: the SA made by the exchange holding the lowest of the
// four nonces is redundant, and the node that initiated that exchange
// deletes it. Both ends reach the same verdict from the same nonces.
//
// No packet is lost: the deleting node stops sending on the redundant SA at
// once and falls back to the old pair, which stays until the winner's
// initiator retires it after RekeyOverlap as in any rekey; the winner's
// responder then moves to the winner's outbound state when that Delete
// arrives (ike_daemon_children.cc). The peer receives on the redundant SA
// until the Delete for it arrives.
#include "ike_daemon.h"
#include "ike_tasks.h"

namespace ipsecsim::ike {

void IkeDaemon::ResolveRekeyCollision(Connection& c, uint32_t newSpiIn) {
  InstalledChild* fresh = nullptr;
  InstalledChild* rival = nullptr;
  for (InstalledChild& rec : c.children) {
    if (rec.sa.spiIn == newSpiIn) fresh = &rec;
  }
  if (!fresh) return;
  for (InstalledChild& rec : c.children) {
    if (&rec != fresh && rec.sa.rekeyOf == fresh->sa.rekeyOf && !rec.redundant) rival = &rec;
  }
  if (!rival) return;
  ++m_counters.rekeyCollisions;
  InstalledChild& loser = fresh->sa.lowestNonce < rival->sa.lowestNonce ? *fresh : *rival;
  loser.redundant = true;
  loser.retiring = true;
  loser.rekeying = false;
  if (!loser.sa.initiatedHere) {
    m_log.push_back(
        LogLine(c.config.name + ": rekey collision; the peer deletes its redundant SA"));
    return;
  }
  ++m_counters.redundantDeleted;
  m_log.push_back(LogLine(c.config.name +
                          ": rekey collision; our rekey holds the lowest nonce, deleting its SA"));
  if (loser.outboundInstalled) RemoveState(c, loser.sa.spiOut, false);
  loser.outboundInstalled = false;
  auto slot = m_sas.find(loser.ikeSa);
  if (slot == m_sas.end()) return;
  std::vector<std::unique_ptr<IkeTask>> tasks;
  tasks.push_back(MakeChildDeleteTask({loser.sa.spiIn}));
  slot->second.sa->Queue(ExchangeType::kInformational, std::move(tasks));
  Kick(slot->second);
}

}  // namespace ipsecsim::ike
