// IkeDaemon: simultaneous initiation ("crossing streams"). Both ends start
// the same connection at once, so two IKE SAs, each with a Child SA, come
// up. Which one goes is decided the way RFC 7296 §2.8 settles colliding
// rekeys: the IKE SA holding the lowest of the four nonces loses. See
// docs/ike.md for the two profiles and the timing window of the defect.
#include <algorithm>

#include "ike_daemon.h"
#include "ns3/simulator.h"

namespace ipsecsim::ike {
namespace {

const Bytes& LowestNonce(const IkeSaContext& sa) { return std::min(sa.nonceI, sa.nonceR); }

// True when IKE SA `a` holds a lower nonce than `b` (and so loses).
bool Loses(const IkeSaContext& a, const IkeSaContext& b) { return LowestNonce(a) < LowestNonce(b); }

}  // namespace

// libreswan-4.x-defect: an IKE_AUTH request for a connection whose own
// IKE_AUTH request is still unanswered is a crossing. The responder settles
// it on the spot: if the peer's IKE SA loses, it answers IKE_AUTH with a
// complete Child SA but never installs it and never tells the peer, which
// installs its side when the response arrives.
bool IkeDaemon::InstallAsResponder(const ChildSaResult& child, const SaSlot& slot) {
  if (Crossing() != CrossingStreamsProfile::kLibreswan4xDefect) return true;
  auto c = m_connections.find(child.connection->name);
  if (c == m_connections.end()) return true;
  auto own = m_sas.find(c->second.ikeSa);
  if (own == m_sas.end() || own->second.sa.get() == slot.sa.get()) return true;
  const IkeSa& mine = *own->second.sa;
  if (!mine.Context().initiator || mine.OutstandingExchange() != ExchangeType::kIkeAuth)
    return true;
  if (!Loses(slot.sa->Context(), mine.Context())) return true;
  ++m_counters.crossingYields;
  m_log.push_back(LogLine(c->first +
                          ": crossing IKE_AUTH while ours is outstanding; the peer's "
                          "IKE SA has the lower nonce: answered, Child SA not installed"));
  return false;
}

// rfc7296: once a connection has Child SAs from two IKE SAs, the creator of
// the losing IKE SA deletes it (its Child SA goes with it); the other end
// waits for that Delete.
void IkeDaemon::ResolveDuplicate(Connection& c, uint64_t newIkeSa) {
  uint64_t other = 0;
  for (const InstalledChild& rec : c.children)
    if (rec.ikeSa != newIkeSa && !rec.retiring) other = rec.ikeSa;
  auto a = m_sas.find(newIkeSa);
  auto b = m_sas.find(other);
  if (other == 0 || a == m_sas.end() || b == m_sas.end()) return;
  auto loser = Loses(a->second.sa->Context(), b->second.sa->Context()) ? a : b;
  const IkeSaContext& ctx = loser->second.sa->Context();
  if (!ctx.initiator) {
    m_log.push_back(
        LogLine(c.config.name + ": duplicate IKE SA; the peer deletes the one it made"));
    return;
  }
  ++m_counters.duplicatesDeleted;
  m_log.push_back(LogLine(c.config.name + ": duplicate IKE SA; deleting ours (lowest nonce)"));
  DeleteIkeSa(loser->first);
}

}  // namespace ipsecsim::ike
