// IkeDaemon: connections, trap policies, Acquire, Child SA installation and
// `ipsec trafficstatus`.
#include <algorithm>
#include <sstream>

#include "ike_daemon.h"
#include "ns3/simulator.h"
#include "peer_identity.h"

namespace ipsecsim::ike {
namespace {

bool InSpan(PortSpan span, uint16_t port) { return span.low <= port && port <= span.high; }

xfrm::PortRange Range(PortSpan span) { return {span.low, span.high}; }

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

}  // namespace

const char* ConnectionStateName(ConnectionState state) {
  switch (state) {
    case ConnectionState::kDown:
      return "down";
    case ConnectionState::kConnecting:
      return "connecting";
    case ConnectionState::kUp:
      return "up";
    case ConnectionState::kFailed:
      return "failed";
  }
  return "?";
}

const char* NotifyTypeName(NotifyType type) {
  switch (type) {
    case NotifyType::kUnsupportedCriticalPayload:
      return "UNSUPPORTED_CRITICAL_PAYLOAD";
    case NotifyType::kInvalidIkeSpi:
      return "INVALID_IKE_SPI";
    case NotifyType::kInvalidMajorVersion:
      return "INVALID_MAJOR_VERSION";
    case NotifyType::kInvalidSyntax:
      return "INVALID_SYNTAX";
    case NotifyType::kInvalidMessageId:
      return "INVALID_MESSAGE_ID";
    case NotifyType::kInvalidSpi:
      return "INVALID_SPI";
    case NotifyType::kNoProposalChosen:
      return "NO_PROPOSAL_CHOSEN";
    case NotifyType::kInvalidKePayload:
      return "INVALID_KE_PAYLOAD";
    case NotifyType::kAuthenticationFailed:
      return "AUTHENTICATION_FAILED";
    case NotifyType::kTsUnacceptable:
      return "TS_UNACCEPTABLE";
    default:
      return "NOTIFY";
  }
}

std::string FailureText(const IkeSaContext& sa) {
  if (!sa.errorNotify) return "no Child SA";
  return std::string(NotifyTypeName(*sa.errorNotify)) + ": " + sa.failure;
}

void IkeDaemon::AddConnection(const ConnectionConfig& config) {
  Connection& c = m_connections[config.name];
  UnindexConnection(c);
  c.config = config;
  c.reqid = m_nextReqid++;
  IndexConnection(c);
  NoteChanged();
  // A right=%any template has no peer to route to or to start with.
  if (config.remoteAddress.IsUnspecified()) return;
  if (config.autoMode != AutoMode::kAdd) InstallPolicies(c);
  if (config.autoMode == AutoMode::kStart) Initiate(config.name);
}

void IkeDaemon::InstallPolicies(Connection& c) {
  if (!m_xfrm || c.policiesInstalled) return;
  const ConnectionConfig& cfg = c.config;
  const ns3::Address local = Ns3AddressOf(cfg.localAddress);
  const ns3::Address remote = Ns3AddressOf(cfg.remoteAddress);
  xfrm::Policy out;
  out.selector = {xfrm::IpPrefix::Host(local), xfrm::IpPrefix::Host(remote), cfg.protocol,
                  Range(cfg.localPorts), Range(cfg.remotePorts)};
  out.direction = xfrm::Direction::kOut;
  out.tmpl.reqid = c.reqid;
  if (cfg.tunnel) {
    out.tmpl.mode = xfrm::XfrmMode::kTunnel;
    out.tmpl.local = local;
    out.tmpl.peer = remote;
  }
  out.name = cfg.name + "-out";
  xfrm::Policy in = out;
  in.selector = {xfrm::IpPrefix::Host(remote), xfrm::IpPrefix::Host(local), cfg.protocol,
                 Range(cfg.remotePorts), Range(cfg.localPorts)};
  in.direction = xfrm::Direction::kIn;
  in.name = cfg.name + "-in";
  c.policies = {m_xfrm->AddPolicy(out), m_xfrm->AddPolicy(in)};
  c.policiesInstalled = true;
}

void IkeDaemon::RemovePolicies(Connection& c) {
  if (!m_xfrm || !c.policiesInstalled) return;
  for (xfrm::PolicyId id : c.policies) m_xfrm->DeletePolicy(id);
  c.policies.clear();
  c.policiesInstalled = false;
}

const IkeDaemon::InstalledChild* IkeDaemon::Connection::Current() const {
  for (auto it = children.rbegin(); it != children.rend(); ++it)
    if (!it->retiring) return &*it;
  return nullptr;
}

const ChildSaResult* IkeDaemon::ChildByOutboundSpi(uint32_t spiOut) const {
  for (const auto& [name, c] : m_connections)
    for (const InstalledChild& child : c.children)
      if (child.sa.spiOut == spiOut) return &child.sa;
  return nullptr;
}

void IkeDaemon::IndexConnection(const Connection& c) {
  m_connectionsByRemote[c.config.remoteAddress].insert(c.config.name);
  m_connectionByReqid[c.reqid] = c.config.name;
}

void IkeDaemon::UnindexConnection(const Connection& c) {
  m_connectionByReqid.erase(c.reqid);
  auto it = m_connectionsByRemote.find(c.config.remoteAddress);
  if (it == m_connectionsByRemote.end()) return;
  it->second.erase(c.config.name);
  if (it->second.empty()) m_connectionsByRemote.erase(it);
}

std::vector<const ConnectionConfig*> IkeDaemon::ConnectionsFor(const IpAddress& remoteAddress,
                                                               const std::string& peerId) const {
  std::vector<const ConnectionConfig*> found;
  for (const IpAddress& key : {remoteAddress, IpAddress::Any(remoteAddress.GetFamily())}) {
    auto names = m_connectionsByRemote.find(key);
    if (names == m_connectionsByRemote.end()) continue;
    for (const std::string& name : names->second) {
      const Connection& c = m_connections.at(name);
      if (AcceptsPeerId(c.config.remoteId, peerId)) found.push_back(&c.config);
    }
    if (!found.empty()) break;  // a conn for this very peer wins over a template
  }
  return found;
}

std::vector<const ConnectionConfig*> IkeDaemon::Instantiate(
    std::vector<const ConnectionConfig*> candidates, const IpAddress& remoteAddress) {
  std::vector<ConnectionConfig> instances;
  for (const ConnectionConfig*& c : candidates) {
    if (!c->remoteAddress.IsUnspecified()) continue;
    ConnectionConfig instance = *c;
    instance.name = c->name + "[" + std::to_string(++m_instancesOf[c->name]) + "]";
    instance.remoteAddress = remoteAddress;
    instance.autoMode = AutoMode::kAdd;
    m_log.push_back(LogLine("instantiating " + instance.name + " for " + remoteAddress.ToString()));
    AddConnection(instance);
    Connection& made = m_connections.at(instance.name);
    made.instanceOf = c->name;
    c = &made.config;
  }
  return candidates;
}

void IkeDaemon::OnAcquire(const xfrm::AcquireEvent& event) {
  ++m_counters.acquires;
  Connection* c = ConnectionForAcquire(event);
  if (!c) {
    m_log.push_back(LogLine("acquire for " + event.policy.ToString() + ": no connection"));
    return;
  }
  m_log.push_back(LogLine("acquire: initiating " + c->config.name));
  Initiate(c->config.name);
}

IkeDaemon::Connection* IkeDaemon::ConnectionForAcquire(const xfrm::AcquireEvent& event) {
  if (event.policy.tmpl.reqid != 0) {
    auto byReqid = m_connectionByReqid.find(event.policy.tmpl.reqid);
    if (byReqid != m_connectionByReqid.end()) return &m_connections.at(byReqid->second);
  }
  const xfrm::FlowTuple& f = event.flow;
  auto names = m_connectionsByRemote.find(IpAddressOf(f.Destination()));
  if (names == m_connectionsByRemote.end()) return nullptr;
  for (const std::string& name : names->second) {
    Connection& c = m_connections.at(name);
    const ConnectionConfig& cfg = c.config;
    if (cfg.localAddress == IpAddressOf(f.Source()) &&
        (cfg.protocol == 0 || cfg.protocol == f.protocol) && InSpan(cfg.localPorts, f.srcPort) &&
        InSpan(cfg.remotePorts, f.dstPort))
      return &c;
  }
  return nullptr;
}

void IkeDaemon::ConnectionFailed(Connection& c, std::string why) {
  c.state = ConnectionState::kFailed;
  NoteChanged();
  c.failure = std::move(why);
  m_log.push_back(LogLine(c.config.name + " failed: " + c.failure));
  m_failedTrace(MakeStatus(c));
}

ConnectionStatus IkeDaemon::MakeStatus(const Connection& c) const {
  ConnectionStatus s;
  s.name = c.config.name;
  s.state = c.state;
  s.reqid = c.reqid;
  s.failure = c.failure;
  s.upSince = c.upSince;
  if (auto it = m_sas.find(c.ikeSa); it != m_sas.end()) {
    s.ikeSpiI = it->second.sa->Context().spiI;
    s.ikeSpiR = it->second.sa->Context().spiR;
    s.peerId = it->second.sa->Context().peerId;
    s.transmissions = it->second.transmissions;
  }
  const InstalledChild* child = c.Current();
  if (c.state == ConnectionState::kUp && child) {
    s.spiIn = child->sa.spiIn;
    s.spiOut = child->sa.spiOut;
    if (m_xfrm) {
      const ns3::Address local = Ns3AddressOf(c.config.localAddress);
      const ns3::Address remote = Ns3AddressOf(c.config.remoteAddress);
      if (const xfrm::State* in = m_xfrm->States().FindInbound(s.spiIn, local, xfrm::kProtoEsp))
        s.bytesIn = in->bytes;
      if (const xfrm::State* out = m_xfrm->States().FindInbound(s.spiOut, remote, xfrm::kProtoEsp))
        s.bytesOut = out->bytes;
    }
  }
  return s;
}

ConnectionStatus IkeDaemon::Status(const std::string& name) const {
  auto it = m_connections.find(name);
  if (it == m_connections.end()) {
    ConnectionStatus unknown;
    unknown.name = name;
    return unknown;
  }
  return MakeStatus(it->second);
}

IkeDaemon::Brief IkeDaemon::BriefStatus(const std::string& name) const {
  Brief b;
  auto it = m_connections.find(name);
  if (it == m_connections.end()) return b;
  b.state = it->second.state;
  const InstalledChild* child = it->second.Current();
  if (b.state == ConnectionState::kUp && child) b.spiIn = child->sa.spiIn;
  return b;
}

std::vector<ConnectionStatus> IkeDaemon::TrafficStatus() const {
  std::vector<ConnectionStatus> all;
  for (const auto& [name, c] : m_connections) all.push_back(MakeStatus(c));
  return all;
}

std::string IkeDaemon::FormatTrafficStatus() const {
  std::ostringstream out;
  for (const ConnectionStatus& s : TrafficStatus()) {
    out << '"' << s.name << "\": " << ConnectionStateName(s.state);
    if (s.state == ConnectionState::kUp) {
      out << ", type=ESP, inSpi=" << Hex32(s.spiIn) << ", outSpi=" << Hex32(s.spiOut)
          << ", inBytes=" << s.bytesIn << ", outBytes=" << s.bytesOut << ", id='" << s.peerId
          << "'";
    } else if (!s.failure.empty()) {
      out << " (" << s.failure << ")";
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace ipsecsim::ike
