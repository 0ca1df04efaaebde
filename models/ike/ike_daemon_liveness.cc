// IkeDaemon: liveness (an empty INFORMATIONAL every DpdDelay while nothing
// arrives on the Child SAs), dead peers (a request on an established IKE SA
// that is never answered), IKE SA deletion and `ipsec auto --delete`.
// Tearing an IKE SA down removes its Child SAs' states; the trap policies of
// auto=route connections stay, so the next packet negotiates again.
#include "ike_daemon.h"
#include "ike_tasks.h"
#include "ns3/simulator.h"

namespace ipsecsim::ike {

void IkeDaemon::ScheduleLiveness(SaSlot& slot) {
  if (!m_dpdDelay.IsStrictlyPositive() || slot.liveness.IsRunning()) return;
  const uint64_t spi = slot.sa->LocalSpi();
  slot.inboundBytesSeen = InboundBytesOf(spi);
  slot.liveness = ns3::Simulator::Schedule(m_dpdDelay, &IkeDaemon::LivenessTick, this, spi);
}

uint64_t IkeDaemon::InboundBytesOf(uint64_t localSpi) const {
  uint64_t bytes = 0;
  if (!m_xfrm) return 0;
  for (const auto& [name, c] : m_connections)
    for (const InstalledChild& rec : c.children)
      if (rec.ikeSa == localSpi)
        if (const xfrm::State* in = m_xfrm->States().FindInbound(
                rec.sa.spiIn, Ns3AddressOf(c.config.localAddress), xfrm::kProtoEsp))
          bytes += in->bytes;
  return bytes;
}

void IkeDaemon::LivenessTick(uint64_t localSpi) {
  auto it = m_sas.find(localSpi);
  if (it == m_sas.end() || it->second.deleting) return;
  SaSlot& slot = it->second;
  const uint64_t bytes = InboundBytesOf(localSpi);
  if (bytes == slot.inboundBytesSeen && slot.sa->Idle() &&
      slot.sa->State() == IkeSaState::kEstablished) {
    ++m_counters.livenessChecks;
    std::vector<std::unique_ptr<IkeTask>> tasks;
    tasks.push_back(MakeLivenessTask());
    slot.sa->Queue(ExchangeType::kInformational, std::move(tasks));
    Kick(slot);
  }
  slot.inboundBytesSeen = bytes;
  slot.liveness = ns3::Simulator::Schedule(m_dpdDelay, &IkeDaemon::LivenessTick, this, localSpi);
}

void IkeDaemon::PeerDead(SaSlot& slot) {
  ++m_counters.deadPeers;
  TearDownIkeSa(slot.sa->LocalSpi(), "peer " + slot.sa->Context().peerId + " is dead");
}

void IkeDaemon::DeleteIkeSa(uint64_t localSpi) {
  auto it = m_sas.find(localSpi);
  if (it == m_sas.end() || it->second.deleting) return;
  SaSlot& slot = it->second;
  slot.deleting = true;
  // Stop sending on its Child SAs now; their inbound states take what is in
  // flight until the peer confirms.
  for (auto& [name, c] : m_connections)
    for (InstalledChild& rec : c.children)
      if (rec.ikeSa == localSpi && rec.outboundInstalled) {
        RemoveState(c, rec.sa.spiOut, false);
        rec.outboundInstalled = false;
      }
  slot.sa->ClearQueue();
  std::vector<std::unique_ptr<IkeTask>> tasks;
  tasks.push_back(MakeIkeDeleteTask());
  slot.sa->Queue(ExchangeType::kInformational, std::move(tasks));
  Kick(slot);
}

void IkeDaemon::TearDownIkeSa(uint64_t localSpi, const std::string& why) {
  auto it = m_sas.find(localSpi);
  if (it == m_sas.end()) return;
  m_log.push_back(LogLine("IKE SA " + std::to_string(localSpi) + " gone: " + why));
  for (auto& [name, c] : m_connections) {
    std::vector<uint32_t> carried;
    for (const InstalledChild& rec : c.children)
      if (rec.ikeSa == localSpi) carried.push_back(rec.sa.spiIn);
    for (uint32_t spiIn : carried) {
      InstalledChild* rec = nullptr;
      ConnectionOf(spiIn, &rec);
      if (rec->outboundInstalled) RemoveState(c, rec->sa.spiOut, false);
      RemoveState(c, spiIn, true);
      ForgetChild(c, spiIn);
    }
    if (c.ikeSa == localSpi && c.state == ConnectionState::kConnecting) {
      c.state = ConnectionState::kDown;
      NoteChanged();
      c.ikeSa = 0;
    }
  }
  SaSlot& slot = it->second;
  slot.retransmit.Cancel();
  slot.liveness.Cancel();
  m_responderIndex.erase({slot.sa->Context().remote.address, slot.sa->Context().spiI});
  m_sas.erase(it);
}

bool IkeDaemon::DeleteConnection(const std::string& name, bool sendDelete) {
  auto it = m_connections.find(name);
  if (it == m_connections.end()) return false;
  Connection& c = it->second;
  std::vector<uint64_t> ikeSas;
  for (const InstalledChild& rec : c.children) ikeSas.push_back(rec.ikeSa);
  if (c.ikeSa != 0) ikeSas.push_back(c.ikeSa);
  for (const InstalledChild& rec : c.children) {
    if (rec.outboundInstalled) RemoveState(c, rec.sa.spiOut, false);
    RemoveState(c, rec.sa.spiIn, true);
  }
  m_counters.childSasDeleted += c.children.size();
  c.children.clear();
  RemovePolicies(c);
  m_log.push_back(LogLine(name + " deleted"));
  for (uint64_t spi : ikeSas) {
    auto slot = m_sas.find(spi);
    if (slot == m_sas.end()) continue;
    slot->second.connection.clear();
    if (sendDelete && slot->second.sa->State() == IkeSaState::kEstablished) {
      DeleteIkeSa(spi);
    } else {  // still negotiating, or told to say nothing: just forget it
      slot->second.retransmit.Cancel();
      slot->second.liveness.Cancel();
      m_responderIndex.erase(
          {slot->second.sa->Context().remote.address, slot->second.sa->Context().spiI});
      m_sas.erase(slot);
    }
  }
  UnindexConnection(it->second);
  m_connections.erase(it);
  NoteChanged();
  return true;
}

}  // namespace ipsecsim::ike
