// IkeDaemon: the end of the daemon process (pod stop, crash, reboot).
#include "ike_daemon.h"

namespace ipsecsim::ike {

void IkeDaemon::Stop(bool sendDeletes) {
  if (m_stopped) return;
  if (sendDeletes) {
    std::vector<std::string> names;
    for (const auto& [name, c] : m_connections) names.push_back(name);
    for (const std::string& name : names) DeleteConnection(name);
    m_log.push_back(LogLine("stopped: every connection deleted"));
  } else {
    m_log.push_back(LogLine("stopped without a word to the peers"));
  }
  m_stopped = true;
  for (auto& [spi, slot] : m_sas) {
    slot.retransmit.Cancel();
    slot.liveness.Cancel();
    slot.keepalive.Cancel();
  }
  m_sequenceCheck.Cancel();
  m_sequenceAsleep = false;
  m_sas.clear();
  m_responderIndex.clear();
  m_connections.clear();
  NoteChanged();
  m_connectionsByRemote.clear();
  m_connectionByReqid.clear();
  if (m_xfrm) {
    m_xfrm->TraceDisconnectWithoutContext("Acquire",
                                          ns3::MakeCallback(&IkeDaemon::OnAcquire, this));
    m_xfrm->TraceDisconnectWithoutContext("Expire", ns3::MakeCallback(&IkeDaemon::OnExpire, this));
    m_xfrm->TraceDisconnectWithoutContext("Sealed", ns3::MakeCallback(&IkeDaemon::OnSealed, this));
    m_xfrm->TraceDisconnectWithoutContext("Changed",
                                          ns3::MakeCallback(&IkeDaemon::NoteChanged, this));
    m_xfrm->SetNattIkeHandler(xfrm::XfrmStack::NattIkeHandler());
  }
  CloseSockets();
}

}  // namespace ipsecsim::ike
