// IkeDaemon: Child SAs in the kernel. Installing a negotiated pair, rekeying
// it before its lifetime or sequence space runs out (CREATE_CHILD_SA), and
// deleting the replaced pair without losing a packet:
//  * the rekey initiator installs both new states at once (the newest
//    outbound state wins), keeps the old pair for RekeyOverlap, then removes
//    its old outbound state and sends Delete; the old inbound state goes when
//    the peer confirms;
//  * the rekey responder installs the new inbound state at once but the new
//    outbound one only when the Delete of the old pair arrives (as strongSwan
//    5.9 does), so it never sends on an SPI the initiator does not have yet.
#include "ike_daemon.h"
#include "ike_tasks.h"
#include "ns3/simulator.h"
#include "poll_grid.h"

namespace ipsecsim::ike {
namespace {

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

}  // namespace

xfrm::Lifetime IkeDaemon::LifetimeFor(const ConnectionConfig& config, bool initiatedHere) const {
  xfrm::Lifetime life;
  if (config.saLifetimeSeconds <= 0) return life;
  const double margin = initiatedHere ? config.rekeyMarginSeconds : config.rekeyMarginSeconds / 2;
  life.hardTime = ns3::Seconds(config.saLifetimeSeconds);
  if (margin > 0 && margin < config.saLifetimeSeconds)
    life.softTime = ns3::Seconds(config.saLifetimeSeconds - margin);
  return life;
}

bool IkeDaemon::InstallState(Connection& c, const IkeSa& sa, const ChildSaResult& child,
                             bool inbound) {
  if (!m_xfrm) return true;
  const ns3::Address local = Ns3AddressOf(sa.Context().local.address);
  const ns3::Address remote = Ns3AddressOf(sa.Context().remote.address);
  xfrm::StateConfig state;
  state.src = inbound ? remote : local;
  state.dst = inbound ? local : remote;
  state.spi = inbound ? child.spiIn : child.spiOut;
  state.keymat = inbound ? child.keymatIn : child.keymatOut;
  state.reqid = c.reqid;
  if (c.config.tunnel) state.mode = xfrm::XfrmMode::kTunnel;
  state.lifetime = LifetimeFor(c.config, child.initiatedHere);
  state.encap = EncapFor(sa, inbound);
  std::string error;
  if (m_xfrm->AddState(state, &error)) return true;
  ConnectionFailed(c, "cannot install Child SA: " + error);
  return false;
}

void IkeDaemon::RemoveState(const Connection& c, uint32_t spi, bool inbound) {
  if (!m_xfrm) return;
  m_xfrm->DeleteState(spi, Ns3AddressOf(inbound ? c.config.localAddress : c.config.remoteAddress));
}

void IkeDaemon::InstallChild(const ChildSaResult& child, SaSlot& slot) {
  auto found = m_connections.find(child.connection->name);
  if (found == m_connections.end()) return;
  Connection& c = found->second;
  const IkeSa& sa = *slot.sa;
  const bool rekey = child.rekeyOf != 0;
  if (!rekey && !child.initiatedHere) HonourInitialContact(slot);
  if (!rekey && !child.initiatedHere && !InstallAsResponder(child, slot)) return;
  InstallPolicies(c);
  // Inbound first, so that the peer's first ESP packet finds it.
  if (!InstallState(c, sa, child, true)) return;
  const bool delayOutbound = rekey && !child.initiatedHere;
  if (!delayOutbound && !InstallState(c, sa, child, false)) return;
  for (InstalledChild& old : c.children) {
    if (rekey && old.sa.spiIn == child.rekeyOf) {
      old.retiring = true;
      old.rekeying = false;
    }
  }
  // Negotiated on an IKE SA that was rekeyed meanwhile: it belongs to the new one.
  const uint64_t carrier = Carrier(slot);
  c.children.push_back(InstalledChild{child, carrier, !delayOutbound});
  ++m_counters.childSasInstalled;
  const bool wasUp = c.state == ConnectionState::kUp;
  c.state = ConnectionState::kUp;
  NoteChanged();
  c.ikeSa = carrier;
  c.failure.clear();
  if (!wasUp) c.upSince = ns3::Simulator::Now();
  m_log.push_back(LogLine(c.config.name + (rekey ? " rekeyed" : " up") + ": ESP in " +
                          Hex32(child.spiIn) + " out " + Hex32(child.spiOut) +
                          (delayOutbound ? " (outbound after the old SA's Delete)" : "")));
  ScheduleSequenceCheck();
  SaSlot& carrierSlot = m_sas.at(carrier);
  ScheduleLiveness(carrierSlot);
  ScheduleKeepalive(carrierSlot);
  ScheduleIkeRekey(carrierSlot);
  if (rekey) {
    ++m_counters.childSasRekeyed;
    m_rekeyedTrace(c.config.name, child.spiIn, child.spiOut);
    if (child.initiatedHere)
      ns3::Simulator::Schedule(m_rekeyOverlap, &IkeDaemon::RetireAfterRekey, this, c.config.name,
                               child.rekeyOf, child.spiIn);
    ResolveRekeyCollision(c, child.spiIn);
    return;
  }
  m_upTrace(MakeStatus(c));
  if (Crossing() == CrossingStreamsProfile::kRfc7296) ResolveDuplicate(c, sa.LocalSpi());
  if (m_uniqueIds && !c.instanceOf.empty()) WipeOlderInstances(c, sa.Context().peerId);
}

// libreswan v4.10 programs/pluto/ikev2_parent.c wipe_old_v2_connections: with
// uniqueids (confread.c: yes by default), an established IKE SA deletes the
// other connections of the same name and kind whose local and remote IDs
// are its own, whatever the peer's address; an instance goes with its
// states, and no Delete is sent (suppress_delete_notify).
void IkeDaemon::WipeOlderInstances(const Connection& c, const std::string& peerId) {
  std::vector<std::string> older;
  for (const auto& [name, d] : m_connections) {
    if (&d == &c || d.instanceOf != c.instanceOf) continue;
    auto slot = m_sas.find(d.ikeSa);
    if (slot == m_sas.end() || slot->second.sa->Context().peerId != peerId) continue;
    older.push_back(name);
  }
  for (const std::string& name : older) {
    m_log.push_back(
        LogLine(c.config.name + " replaces " + name + " (uniqueids: same peer ID " + peerId + ")"));
    ++m_counters.replacedByUniqueIds;
    DeleteConnection(name, false);
  }
}

IkeDaemon::Connection* IkeDaemon::ConnectionOf(uint32_t spiIn, InstalledChild** child) {
  for (auto& [name, c] : m_connections)
    for (InstalledChild& rec : c.children)
      if (rec.sa.spiIn == spiIn) {
        *child = &rec;
        return &c;
      }
  return nullptr;
}

void IkeDaemon::StartChildRekey(Connection& c, uint32_t spiIn) {
  InstalledChild* rec = nullptr;
  if (ConnectionOf(spiIn, &rec) != &c || rec->retiring || rec->rekeying) return;
  auto slot = m_sas.find(rec->ikeSa);
  if (slot == m_sas.end() || slot->second.deleting ||
      slot->second.sa->State() != IkeSaState::kEstablished)
    return;
  rec->rekeying = true;
  m_log.push_back(LogLine(c.config.name + ": rekeying ESP in " + Hex32(spiIn)));
  std::vector<std::unique_ptr<IkeTask>> tasks;
  tasks.push_back(MakeChildRekeyTask(rec->sa));
  slot->second.sa->Queue(ExchangeType::kCreateChildSa, std::move(tasks));
  Kick(slot->second);
}

bool IkeDaemon::RekeyChildSa(const std::string& name) {
  auto it = m_connections.find(name);
  if (it == m_connections.end()) return false;
  const InstalledChild* current = it->second.Current();
  if (!current || current->rekeying) return false;
  StartChildRekey(it->second, current->sa.spiIn);
  return current->rekeying;
}

void IkeDaemon::RetireAfterRekey(const std::string& connection, uint32_t oldSpiIn,
                                 uint32_t newSpiIn) {
  InstalledChild* successor = nullptr;
  if (!ConnectionOf(newSpiIn, &successor) || successor->redundant) return;  // the peer's won
  InstalledChild* rec = nullptr;
  Connection* c = ConnectionOf(oldSpiIn, &rec);
  if (!c || c->config.name != connection) return;
  // New packets already leave on the successor; stop using the old SA at all.
  if (rec->outboundInstalled) RemoveState(*c, rec->sa.spiOut, false);
  rec->outboundInstalled = false;
  auto slot = m_sas.find(rec->ikeSa);
  if (slot == m_sas.end()) {
    RemoveState(*c, oldSpiIn, true);
    ForgetChild(*c, oldSpiIn);
    return;
  }
  std::vector<std::unique_ptr<IkeTask>> tasks;
  tasks.push_back(MakeChildDeleteTask({oldSpiIn}));
  slot->second.sa->Queue(ExchangeType::kInformational, std::move(tasks));
  Kick(slot->second);
}

void IkeDaemon::PeerDeletedChild(uint32_t spiOut) {
  for (auto& [name, c] : m_connections) {
    for (InstalledChild& rec : c.children) {
      if (rec.sa.spiOut != spiOut) continue;
      const uint32_t spiIn = rec.sa.spiIn;
      // A rekey we answered: its successor may send now.
      for (InstalledChild& next : c.children) {
        if (next.sa.rekeyOf != spiIn || next.outboundInstalled || next.redundant) continue;
        auto slot = m_sas.find(next.ikeSa);
        if (slot != m_sas.end() && InstallState(c, *slot->second.sa, next.sa, false))
          next.outboundInstalled = true;
      }
      if (rec.outboundInstalled) RemoveState(c, spiOut, false);
      RemoveState(c, spiIn, true);
      m_log.push_back(LogLine(name + ": peer deleted ESP out " + Hex32(spiOut)));
      ForgetChild(c, spiIn);
      return;
    }
  }
}

void IkeDaemon::DeleteConfirmed(uint32_t spiIn) {
  InstalledChild* rec = nullptr;
  Connection* c = ConnectionOf(spiIn, &rec);
  if (!c) return;
  if (rec->outboundInstalled) RemoveState(*c, rec->sa.spiOut, false);
  RemoveState(*c, spiIn, true);
  ForgetChild(*c, spiIn);
}

void IkeDaemon::ForgetChild(Connection& c, uint32_t spiIn) {
  auto& v = c.children;
  const auto before = v.size();
  v.erase(std::remove_if(v.begin(), v.end(),
                         [spiIn](const InstalledChild& r) { return r.sa.spiIn == spiIn; }),
          v.end());
  if (v.size() == before) return;
  ++m_counters.childSasDeleted;
  if (!v.empty()) {
    c.ikeSa = v.back().ikeSa;
    return;
  }
  if (c.state != ConnectionState::kUp) return;
  c.state = ConnectionState::kDown;
  NoteChanged();
  // auto=add connections are unrouted; trap policies of route/start stay, so
  // the next packet negotiates again.
  if (c.config.autoMode == AutoMode::kAdd) RemovePolicies(c);
  m_log.push_back(LogLine(c.config.name + " down"));
  m_downTrace(MakeStatus(c));
}

void IkeDaemon::OnExpire(const xfrm::ExpireEvent& event) {
  for (auto& [name, c] : m_connections) {
    if (c.reqid != event.reqid) continue;
    for (InstalledChild& rec : c.children) {
      if (rec.sa.spiIn != event.spi && rec.sa.spiOut != event.spi) continue;
      const uint32_t spiIn = rec.sa.spiIn;
      if (!event.hard) {
        if (!rec.retiring) StartChildRekey(c, spiIn);
        return;
      }
      m_log.push_back(LogLine(name + ": ESP " + Hex32(event.spi) + " reached its hard lifetime"));
      if (rec.sa.spiIn != event.spi) RemoveState(c, spiIn, true);
      if (rec.sa.spiOut != event.spi && rec.outboundInstalled) RemoveState(c, rec.sa.spiOut, false);
      auto slot = m_sas.find(rec.ikeSa);
      if (slot != m_sas.end() && !slot->second.deleting) {
        std::vector<std::unique_ptr<IkeTask>> tasks;
        tasks.push_back(MakeChildDeleteTask({spiIn}));
        slot->second.sa->Queue(ExchangeType::kInformational, std::move(tasks));
        Kick(slot->second);
      }
      ForgetChild(c, spiIn);
      return;
    }
  }
}

void IkeDaemon::ScheduleSequenceCheck() {
  if (!m_sequenceCheckInterval.IsStrictlyPositive() || m_sequenceCheck.IsRunning()) return;
  ns3::Time wait = m_sequenceCheckInterval;
  if (m_sequenceAsleep) {
    wait = WaitForNextGridPoint(m_lastSequenceCheck, m_sequenceCheckInterval);
    m_sequenceAsleep = false;
  }
  m_sequenceCheck = ns3::Simulator::Schedule(wait, &IkeDaemon::CheckSequenceSpace, this);
}

void IkeDaemon::OnSealed(uint32_t) {
  if (m_sequenceAsleep) ScheduleSequenceCheck();
}

void IkeDaemon::CheckSequenceSpace() {
  m_lastSequenceCheck = ns3::Simulator::Now();
  bool any = false;
  bool near = false;  // a current outbound state at the threshold, rekeying or not
  for (auto& [name, c] : m_connections) {
    const InstalledChild* child = c.Current();
    if (!child) continue;
    any = true;
    if (!m_xfrm || !child->outboundInstalled) continue;
    const xfrm::State* out = m_xfrm->States().FindInbound(
        child->sa.spiOut, Ns3AddressOf(c.config.remoteAddress), xfrm::kProtoEsp);
    if (!out || out->NextOutboundSequence() < m_rekeySequence) continue;
    near = true;
    if (child->rekeying) continue;
    m_log.push_back(LogLine(name + ": ESP out " + Hex32(child->sa.spiOut) +
                            " near the end of its sequence space"));
    StartChildRekey(c, child->sa.spiIn);
  }
  if (!any) return;
  // Until a packet is sealed, or a Child SA installed, every poll would find
  // what this one found: nothing at the threshold.
  if (!near) {
    m_sequenceAsleep = true;
    return;
  }
  ScheduleSequenceCheck();
}

}  // namespace ipsecsim::ike
