// IkeDaemon: INITIAL_CONTACT (RFC 7296 §2.4). A daemon that starts an IKE
// SA with a peer it has no other IKE SA with says so in IKE_AUTH. The
// receiver may hold IKE SAs the sender has forgotten (it restarted or
// rebooted), and ESP sent on their Child SAs would only be dropped. It does
// not delete them on the notify's word alone, since simultaneous
// initiation can make the claim stale by the time it arrives: it checks
// each older IKE SA with the peer for liveness at once, and a peer that
// does not know it never answers, so it is torn down when the
// retransmissions give up.
#include "ike_daemon.h"
#include "ike_tasks.h"

namespace ipsecsim::ike {

bool IkeDaemon::SendsInitialContact(uint64_t localSpi) const {
  auto it = m_sas.find(localSpi);
  return it != m_sas.end() && it->second.initialContact;
}

void IkeDaemon::HonourInitialContact(const SaSlot& slot) {
  const IkeSaContext& ctx = slot.sa->Context();
  if (!ctx.peerInitialContact) return;
  for (auto& [spi, other] : m_sas) {
    if (&other == &slot || other.created >= slot.created || other.deleting) continue;
    if (other.sa->Context().remote.address != ctx.remote.address) continue;
    if (other.sa->State() != IkeSaState::kEstablished || !other.sa->Idle()) continue;
    ++m_counters.livenessChecks;
    m_log.push_back(LogLine("INITIAL_CONTACT from " + ctx.peerId + ": checking IKE SA " +
                            std::to_string(spi) + " is still known"));
    std::vector<std::unique_ptr<IkeTask>> tasks;
    tasks.push_back(MakeLivenessTask());
    other.sa->Queue(ExchangeType::kInformational, std::move(tasks));
    Kick(other);
  }
}

}  // namespace ipsecsim::ike
