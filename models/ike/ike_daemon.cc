// IkeDaemon: UDP 500, CPU time, IKE SA lookup and retransmission.
#include "ike_daemon.h"

#include <algorithm>

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/global-value.h"
#include "ns3/inet-socket-address.h"
#include "ns3/integer.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-packet-info-tag.h"
#include "ns3/ipv6.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"
#include "protocol_ports.h"
#include "udp_encap.h"

namespace ipsecsim::ike {

NS_OBJECT_ENSURE_REGISTERED(IkeDaemon);

namespace {
constexpr uint16_t kIkePort = ports::kIke;
constexpr size_t kNonEspMarkerLen = 4;
constexpr int64_t kDefaultEpoch = 1767225600;  // 2026-01-01T00:00:00Z, as the PKI timeline
}  // namespace

ns3::TypeId IkeDaemon::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("ipsecsim::ike::IkeDaemon")
          .SetParent<ns3::Object>()
          .AddConstructor<IkeDaemon>()
          .AddAttribute("DhCost", "CPU time of one MODP-2048 key generation and g^ir.",
                        ns3::TimeValue(ns3::MilliSeconds(2)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_dhCost), ns3::MakeTimeChecker())
          .AddAttribute("RsaCost", "CPU time of one RSA-2048 signature plus one verification.",
                        ns3::TimeValue(ns3::MilliSeconds(3)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_rsaCost), ns3::MakeTimeChecker())
          .AddAttribute("RetransmitInterval", "First retransmission timeout; it doubles.",
                        ns3::TimeValue(ns3::MilliSeconds(500)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_retransmitInterval),
                        ns3::MakeTimeChecker())
          .AddAttribute("RetransmitTries", "Transmissions of a request before giving up.",
                        ns3::UintegerValue(5),
                        ns3::MakeUintegerAccessor(&IkeDaemon::m_retransmitTries),
                        ns3::MakeUintegerChecker<uint32_t>(1))
          .AddAttribute("EpochSeconds",
                        "UNIX time at simulated time 0; certificates are checked at "
                        "EpochSeconds + Now().",
                        ns3::IntegerValue(kDefaultEpoch),
                        ns3::MakeIntegerAccessor(&IkeDaemon::m_epochSeconds),
                        ns3::MakeIntegerChecker<int64_t>())
          .AddAttribute("Seed", "Seed of the SPIs, nonces and D-H exponents.",
                        ns3::UintegerValue(1), ns3::MakeUintegerAccessor(&IkeDaemon::m_seed),
                        ns3::MakeUintegerChecker<uint64_t>())
          .AddAttribute("RekeyOverlap",
                        "How long the replaced Child SA stays after a rekey before the "
                        "initiator of the rekey deletes it.",
                        ns3::TimeValue(ns3::MilliSeconds(500)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_rekeyOverlap), ns3::MakeTimeChecker())
          .AddAttribute("RekeyPfs", "CREATE_CHILD_SA rekeys carry a KE (pfs=yes).",
                        ns3::BooleanValue(false), ns3::MakeBooleanAccessor(&IkeDaemon::m_rekeyPfs),
                        ns3::MakeBooleanChecker())
          .AddAttribute("RekeySequence",
                        "Rekey a Child SA once its outbound sequence number reaches this "
                        "(the 32-bit space ends at 2^32 - 1).",
                        ns3::UintegerValue(0xC0000000ull),
                        ns3::MakeUintegerAccessor(&IkeDaemon::m_rekeySequence),
                        ns3::MakeUintegerChecker<uint64_t>())
          .AddAttribute("SequenceCheckInterval",
                        "How often the outbound sequence numbers are read, like pluto "
                        "polling the kernel's SA counters; 0 = never.",
                        ns3::TimeValue(ns3::Seconds(1)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_sequenceCheckInterval),
                        ns3::MakeTimeChecker())
          .AddAttribute("DpdDelay",
                        "dpddelay: an IKE SA whose Child SAs received nothing for this long "
                        "sends an empty INFORMATIONAL; 0 = no liveness checks.",
                        ns3::TimeValue(ns3::Seconds(0)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_dpdDelay), ns3::MakeTimeChecker())
          .AddAttribute("DpdTimeout",
                        "dpdtimeout: a peer that has not answered a request on an established "
                        "IKE SA for this long is dead; 0 = after RetransmitTries.",
                        ns3::TimeValue(ns3::Seconds(0)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_dpdTimeout), ns3::MakeTimeChecker())
          .AddAttribute("CrossingStreamsProfile",
                        "Simultaneous initiation: rfc7296 (duplicates deleted) or "
                        "libreswan-4.x-defect (see docs/ike.md).",
                        ns3::EnumValue(int(CrossingStreamsProfile::kRfc7296)),
                        ns3::MakeEnumAccessor(&IkeDaemon::m_crossingProfile),
                        ns3::MakeEnumChecker(int(CrossingStreamsProfile::kRfc7296), "rfc7296",
                                             int(CrossingStreamsProfile::kLibreswan4xDefect),
                                             "libreswan-4.x-defect"))
          .AddAttribute("ForceEncapsulation",
                        "encapsulation=yes for every connection: IKE on UDP 4500 and ESP in "
                        "UDP 4500 as if behind a NAT.",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&IkeDaemon::m_forceEncapsulation),
                        ns3::MakeBooleanChecker())
          .AddAttribute("NattKeepaliveInterval",
                        "Period of the 1-byte NAT keepalives sent by a side behind a NAT "
                        "(Libreswan keep-alive, 20 s); 0 = none.",
                        ns3::TimeValue(ns3::Seconds(20)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_nattKeepaliveInterval),
                        ns3::MakeTimeChecker())
          .AddAttribute("ModelledCrypto",
                        "Cheap stand-ins for D-H and the AUTH signature with the real wire "
                        "sizes and CPU costs, for capacity studies; no security value (see "
                        "docs/ike.md). Both ends must agree.",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&IkeDaemon::m_modelledCrypto),
                        ns3::MakeBooleanChecker())
          .AddAttribute("IkeLifetime",
                        "ikelifetime: an IKE SA is rekeyed (CREATE_CHILD_SA) IkeRekeyMargin "
                        "before this on the end that created it, half the margin before on "
                        "the other; 0 = never.",
                        ns3::TimeValue(ns3::Seconds(28800)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_ikeLifetime), ns3::MakeTimeChecker())
          .AddAttribute("UniqueIds",
                        "Libreswan's config setup uniqueids (default yes): a new IKE SA "
                        "replaces a template's older instances with the same peer ID.",
                        ns3::BooleanValue(true), ns3::MakeBooleanAccessor(&IkeDaemon::m_uniqueIds),
                        ns3::MakeBooleanChecker())
          .AddAttribute("IkeRekeyMargin", "rekeymargin for IKE SAs (Libreswan: 540 s).",
                        ns3::TimeValue(ns3::Seconds(540)),
                        ns3::MakeTimeAccessor(&IkeDaemon::m_ikeRekeyMargin), ns3::MakeTimeChecker())
          .AddTraceSource("Changed",
                          "A connection was added, removed or changed state, or the kernel's "
                          "states or policies changed: what a periodic reader sees may differ.",
                          ns3::MakeTraceSourceAccessor(&IkeDaemon::m_changedTrace),
                          "ns3::TracedCallback::Void")
          .AddTraceSource("ConnectionUp", "A connection's Child SA was installed.",
                          ns3::MakeTraceSourceAccessor(&IkeDaemon::m_upTrace),
                          "ipsecsim::ike::IkeDaemon::ConnectionTracedCallback")
          .AddTraceSource("ConnectionFailed", "A connection's negotiation failed or gave up.",
                          ns3::MakeTraceSourceAccessor(&IkeDaemon::m_failedTrace),
                          "ipsecsim::ike::IkeDaemon::ConnectionTracedCallback")
          .AddTraceSource("ConnectionDown",
                          "A connection lost its last Child SA (Delete, dead peer, expiry).",
                          ns3::MakeTraceSourceAccessor(&IkeDaemon::m_downTrace),
                          "ipsecsim::ike::IkeDaemon::ConnectionTracedCallback")
          .AddTraceSource("ChildSaRekeyed", "A rekeyed Child SA was installed (new SPIs).",
                          ns3::MakeTraceSourceAccessor(&IkeDaemon::m_rekeyedTrace),
                          "ipsecsim::ike::IkeDaemon::ChildSaTracedCallback")
          .AddTraceSource("IkeSaKeys",
                          "An IKE SA, new or rekeyed, has its SPIs and encryption keys.",
                          ns3::MakeTraceSourceAccessor(&IkeDaemon::m_ikeSaKeysTrace),
                          "ipsecsim::ike::IkeDaemon::IkeSaKeysTracedCallback");
  return tid;
}

IkeDaemon::IkeDaemon() = default;
IkeDaemon::~IkeDaemon() = default;

void IkeDaemon::DoDispose() {
  for (auto& [spi, slot] : m_sas) {
    slot.retransmit.Cancel();
    slot.liveness.Cancel();
    slot.keepalive.Cancel();
    slot.ikeRekey.Cancel();
  }
  m_sequenceCheck.Cancel();
  m_sas.clear();
  CloseSockets();
  if (m_xfrm) m_xfrm->SetNattIkeHandler(xfrm::XfrmStack::NattIkeHandler());
  m_xfrm = nullptr;
  m_node = nullptr;
  ns3::Object::DoDispose();
}

void IkeDaemon::Start(ns3::Ptr<ns3::Node> node, IkeIdentity identity) {
  m_node = node;
  m_identity = std::move(identity);
  m_rng = std::make_unique<pki::DeterministicRng>(m_seed, "ike/" + m_identity.id);
  m_xfrm = node->GetObject<xfrm::XfrmStack>();
  if (m_xfrm) {
    m_xfrm->TraceConnectWithoutContext("Acquire", ns3::MakeCallback(&IkeDaemon::OnAcquire, this));
    m_xfrm->TraceConnectWithoutContext("Expire", ns3::MakeCallback(&IkeDaemon::OnExpire, this));
    m_xfrm->TraceConnectWithoutContext("Sealed", ns3::MakeCallback(&IkeDaemon::OnSealed, this));
    m_xfrm->TraceConnectWithoutContext("Changed", ns3::MakeCallback(&IkeDaemon::NoteChanged, this));
  }
  m_ipv4 = OpenSockets(IpAddress::Family::kIpv4);
  if (!FirstAddress(IpAddress::Family::kIpv6).IsUnspecified())
    m_ipv6 = OpenSockets(IpAddress::Family::kIpv6);
  if (m_xfrm) {
    m_xfrm->SetNattIkeHandler(ns3::MakeCallback(&IkeDaemon::OnNattIke, this));
    // pluto's IKE sockets are exempt from every IPsec policy (kernel_xfrm.c
    // netlink_poke_ipsec_policy_hole): a conn that selects all traffic to a
    // peer must not capture its own IKE messages.
    m_xfrm->AllowSocket(17, kIkePort);
    m_xfrm->AllowSocket(17, xfrm::kNattPort);
  }
}

IkeDaemon::Sockets IkeDaemon::OpenSockets(IpAddress::Family family) {
  const auto open = [this, family](uint16_t port) {
    auto socket = ns3::Socket::CreateSocket(m_node, ns3::UdpSocketFactory::GetTypeId());
    socket->Bind(SocketAddressOf(IpAddress::Any(family), port));
    return socket;
  };
  Sockets sockets{open(kIkePort), open(xfrm::kNattPort)};
  sockets.ike->SetRecvPktInfo(true);
  sockets.ike->SetRecvCallback(ns3::MakeCallback(&IkeDaemon::OnReadable, this));
  return sockets;
}

void IkeDaemon::CloseSockets() {
  for (Sockets* sockets : {&m_ipv4, &m_ipv6}) {
    if (sockets->ike) sockets->ike->Close();
    if (sockets->natt) sockets->natt->Close();
    *sockets = Sockets();
  }
}

ns3::Ptr<ns3::Socket> IkeDaemon::SocketTo(const IpAddress& peer, bool natt) const {
  const Sockets& sockets = peer.IsV6() ? m_ipv6 : m_ipv4;
  return natt ? sockets.natt : sockets.ike;
}

int64_t IkeDaemon::UnixNow() const { return m_epochSeconds + ns3::Simulator::Now().GetSeconds(); }

uint64_t IkeDaemon::NewIkeSpi() {
  uint64_t spi = 0;
  while (spi == 0 || m_sas.count(spi)) {
    uint8_t b[8];
    m_rng->GenerateBlock(b, sizeof b);
    spi = GetU64(b);
  }
  return spi;
}

uint32_t IkeDaemon::AllocateChildSpi() {
  // Linux picks inbound SPIs at random from 0x100 up; so does ipsecsim.
  for (;;) {
    uint8_t b[4];
    m_rng->GenerateBlock(b, sizeof b);
    const uint32_t spi = GetU32(b);
    const bool used = m_xfrm && m_xfrm->States().UsesSpi(spi);
    if (spi >= 0x100 && !used) return spi;
  }
}

bool IkeDaemon::Initiate(const std::string& name) {
  auto it = m_connections.find(name);
  if (it == m_connections.end()) return false;
  Connection& c = it->second;
  if (c.state == ConnectionState::kUp || c.state == ConnectionState::kConnecting) return false;
  c.state = ConnectionState::kConnecting;
  NoteChanged();
  c.failure.clear();
  const uint64_t spi = NewIkeSpi();
  bool alone = true;
  for (const auto& [other, s] : m_sas)
    alone &= s.sa->Context().remote.address != c.config.remoteAddress;
  SaSlot& slot = m_sas[spi];
  slot.connection = name;
  slot.created = ns3::Simulator::Now();
  slot.initialContact = alone;
  slot.sa = IkeSa::NewInitiator(this, &c.config, spi, Endpoint{c.config.localAddress, kIkePort},
                                Endpoint{c.config.remoteAddress, kIkePort});
  slot.sa->QueueInitialExchanges();
  c.ikeSa = spi;
  // The first request needs a D-H key pair.
  Spend(m_dhCost, [this, spi]() {
    auto found = m_sas.find(spi);
    if (found != m_sas.end()) SendNextRequest(found->second);
  });
  return true;
}

void IkeDaemon::Spend(ns3::Time cost, std::function<void()> work) {
  const ns3::Time now = ns3::Simulator::Now();
  m_busyUntil = std::max(m_busyUntil, now) + cost;
  ns3::Simulator::Schedule(m_busyUntil - now, [this, work = std::move(work)] {
    if (!m_stopped) work();
  });
}

ns3::Time IkeDaemon::CostOf(const IkeHeader& header, size_t size) const {
  const bool response = header.IsResponse();
  switch (header.exchange) {
    case ExchangeType::kIkeSaInit:  // the initiator also signs its IKE_AUTH request
      return response ? m_dhCost + m_rsaCost : m_dhCost;
    case ExchangeType::kIkeAuth:
      return m_rsaCost;
    case ExchangeType::kCreateChildSa:  // large enough for a KE (PFS, IKE SA rekey): D-H
      return size >= kIkeHeaderLen + kModp2048Len ? m_dhCost : ns3::Time();
    default:
      return ns3::Time();
  }
}

namespace {

// The address a received datagram was sent to (IP_PKTINFO / IPV6_PKTINFO),
// or unspecified.
IpAddress DestinationOf(const ns3::Packet& packet) {
  ns3::Ipv4PacketInfoTag info;
  if (packet.PeekPacketTag(info)) return IpAddressOf(info.GetAddress());
  ns3::Ipv6PacketInfoTag info6;
  if (packet.PeekPacketTag(info6)) return IpAddressOf(info6.GetAddress());
  return IpAddress();
}

}  // namespace

void IkeDaemon::OnReadable(ns3::Ptr<ns3::Socket> socket) {
  ns3::Address fromAddress;
  while (ns3::Ptr<ns3::Packet> packet = socket->RecvFrom(fromAddress)) {
    Bytes datagram(packet->GetSize());
    packet->CopyData(datagram.data(), datagram.size());
    const Endpoint peer{IpAddressOf(fromAddress), PortOf(fromAddress)};
    Receive(std::move(datagram), peer, DestinationOf(*packet), false);
  }
}

// pluto recognises a retransmission by its message ID before it spends any
// crypto on it: an answered request gets the recorded response again, a late
// response is dropped, and a copy of a message that is still being worked on
// is discarded (libreswan v4.6, programs/pluto/ikev2.c is_duplicate_request
// and is_duplicate_response; ikev2_ike_sa_init.c process_v2_IKE_SA_INIT for
// IKE_SA_INIT). Only new messages queue for the CPU.
void IkeDaemon::Receive(Bytes datagram, Endpoint from, IpAddress localAddress, bool viaNatt) {
  ++m_counters.received;
  auto parsed = ParseMessage(datagram);
  if (!parsed.Ok()) {
    ++m_counters.malformed;
    m_log.push_back(LogLine("malformed message dropped: " + parsed.Error().ToString()));
    return;
  }
  const IkeHeader& header = parsed.Value().header;
  if (AlreadyHandled(header, from)) {
    Handle(datagram, parsed.Value(), from, localAddress, viaNatt);
    return;
  }
  const auto queued = std::make_tuple(
      from.address, header.spiI, header.spiR, header.messageId,
      static_cast<uint8_t>(header.flags & (header_flags::kResponse | header_flags::kInitiator)));
  if (!m_queued.insert(queued).second) {
    ++m_counters.busyDiscarded;
    return;
  }
  const ns3::Time cost = CostOf(header, datagram.size());
  Spend(cost, [this, queued, datagram = std::move(datagram), message = std::move(parsed.Value()),
               from, localAddress, viaNatt]() {
    m_queued.erase(queued);
    Handle(datagram, message, from, localAddress, viaNatt);
  });
}

void IkeDaemon::Handle(const Bytes& datagram, const IkeMessage& message, Endpoint from,
                       IpAddress localAddress, bool viaNatt) {
  SaSlot* slot = FindSa(message.header, from, localAddress);
  if (!slot) {
    ++m_counters.unknownSpi;
    return;
  }
  const uint64_t localSpi = slot->sa->LocalSpi();
  IkeSa::Reception r = slot->sa->Receive(datagram, message);
  if (!r.accepted) {
    ++m_counters.dropped;
    m_log.push_back(LogLine("dropped: " + r.dropReason));
    if (slot->sa->Window().LastResponse().empty() && !slot->sa->Context().initiator) {
      m_responderIndex.erase({from.address, message.header.spiI});
      m_sas.erase(localSpi);  // a responder SA that never answered anything
    }
    return;
  }
  if (r.replayedResponse) ++m_counters.replayedResponses;
  if (viaNatt) FollowPeer(*slot, from, localAddress);
  if (r.reply) Transmit(*r.reply, from, viaNatt);
  if (!r.replayedResponse) AfterReception(*slot);
}

IkeDaemon::SaSlot* IkeDaemon::KnownSa(const IkeHeader& header, Endpoint from) {
  if (!header.FromInitiator()) {  // we are the original initiator
    auto it = m_sas.find(header.spiI);
    if (it == m_sas.end() || !it->second.sa->Context().initiator) return nullptr;
    return &it->second;
  }
  const bool newInit =
      header.exchange == ExchangeType::kIkeSaInit && !header.IsResponse() && header.spiR == 0;
  if (!newInit) {
    auto it = m_sas.find(header.spiR);
    if (it == m_sas.end() || it->second.sa->Context().initiator ||
        it->second.sa->Context().spiI != header.spiI)
      return nullptr;
    return &it->second;
  }
  auto known = m_responderIndex.find(std::make_pair(from.address, header.spiI));
  return known == m_responderIndex.end() ? nullptr : &m_sas.at(known->second);
}

bool IkeDaemon::AlreadyHandled(const IkeHeader& header, Endpoint from) {
  const SaSlot* slot = KnownSa(header, from);
  if (!slot) return false;
  const MessageWindow& window = slot->sa->Window();
  if (header.IsResponse()) return !window.MatchesOutstanding(header.messageId);
  return window.Classify(header.messageId) != MessageWindow::RequestKind::kNew;
}

IkeDaemon::SaSlot* IkeDaemon::FindSa(const IkeHeader& header, Endpoint from,
                                     IpAddress localAddress) {
  if (SaSlot* known = KnownSa(header, from)) return known;
  const bool newInit = header.FromInitiator() && header.exchange == ExchangeType::kIkeSaInit &&
                       !header.IsResponse() && header.spiR == 0;
  if (!newInit) return nullptr;
  const uint64_t spiR = NewIkeSpi();
  if (localAddress.IsUnspecified()) localAddress = FirstAddress(from.address.GetFamily());
  SaSlot& slot = m_sas[spiR];
  slot.created = ns3::Simulator::Now();
  slot.sa = IkeSa::NewResponder(this, header.spiI, spiR, Endpoint{localAddress, kIkePort}, from);
  m_responderIndex[std::make_pair(from.address, header.spiI)] = spiR;
  return &slot;
}

IpAddress IkeDaemon::FirstAddress(IpAddress::Family family) const {
  if (family == IpAddress::Family::kIpv6) {
    auto ipv6 = m_node->GetObject<ns3::Ipv6>();
    for (uint32_t i = 0; ipv6 && i < ipv6->GetNInterfaces(); ++i) {
      for (uint32_t j = 0; j < ipv6->GetNAddresses(i); ++j) {
        const ns3::Ipv6Address a = ipv6->GetAddress(i, j).GetAddress();
        if (!a.IsLocalhost() && !a.IsLinkLocal()) return IpAddressOf(a);
      }
    }
    return IpAddress::V6({});
  }
  auto ipv4 = m_node->GetObject<ns3::Ipv4>();
  for (uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i) {
    for (uint32_t j = 0; j < ipv4->GetNAddresses(i); ++j) {
      const ns3::Ipv4Address a = ipv4->GetAddress(i, j).GetLocal();
      if (!a.IsLocalhost()) return IpAddressOf(a);
    }
  }
  return IpAddress();
}

void IkeDaemon::AfterReception(SaSlot& slot) {
  const uint64_t localSpi = slot.sa->LocalSpi();
  const bool wasOutstanding = slot.sa->Window().RequestOutstanding();
  ProcessEvents(localSpi);
  auto it = m_sas.find(localSpi);
  if (it == m_sas.end()) return;  // torn down (IKE SA deleted)
  SaSlot& s = it->second;
  IkeSa& sa = *s.sa;
  if (!sa.Context().initiator && sa.State() == IkeSaState::kFailed) {
    m_log.push_back(LogLine("refused a peer: " + FailureText(sa.Context())));
    return;
  }
  if (sa.Window().RequestOutstanding()) return;  // not the response we wait for
  if (wasOutstanding) s.retransmit.Cancel();
  if (s.deleting) return;
  auto c = m_connections.find(s.connection);
  const bool connecting = c != m_connections.end() && sa.Context().initiator &&
                          c->second.state == ConnectionState::kConnecting &&
                          c->second.ikeSa == localSpi;
  if (sa.State() == IkeSaState::kFailed) {
    if (connecting) ConnectionFailed(c->second, FailureText(sa.Context()));
    return;
  }
  FloatIfNatted(s);
  Kick(s);
  if (connecting && sa.State() == IkeSaState::kEstablished && !sa.Window().RequestOutstanding())
    ConnectionFailed(c->second, FailureText(sa.Context()));  // IKE SA up, Child SA refused
}

void IkeDaemon::ProcessEvents(uint64_t localSpi) {
  auto it = m_sas.find(localSpi);
  if (it == m_sas.end()) return;
  IkeSaEvents events = it->second.sa->TakeEvents();
  if (events.ikeRekey) AdoptRekeyedIkeSa(localSpi, *events.ikeRekey);
  for (const ChildSaResult& child : events.children) {
    auto slot = m_sas.find(localSpi);
    if (slot != m_sas.end()) InstallChild(child, slot->second);
  }
  for (uint32_t spiOut : events.deletedByPeer) PeerDeletedChild(spiOut);
  for (uint32_t spiIn : events.deleteConfirmed) DeleteConfirmed(spiIn);
  if (events.ikeSaDeletedByPeer) TearDownIkeSa(localSpi, "IKE SA deleted by the peer");
  if (events.ikeSaDeleteConfirmed) TearDownIkeSa(localSpi, "IKE SA deleted");
}

void IkeDaemon::Kick(SaSlot& slot) {
  if (!slot.sa->Window().RequestOutstanding()) SendNextRequest(slot);
}

void IkeDaemon::SendNextRequest(SaSlot& slot) {
  std::optional<Bytes> request = slot.sa->NextRequest();
  if (!request) return;
  slot.transmissions = 1;
  slot.firstSent = ns3::Simulator::Now();
  Transmit(*request, slot.sa->Context().remote, Floated(*slot.sa));
  const uint64_t spi = slot.sa->LocalSpi();
  slot.retransmit.Cancel();  // the previous request's timer, if its response was just processed
  slot.retransmit =
      ns3::Simulator::Schedule(m_retransmitInterval, &IkeDaemon::RetransmitTimeout, this, spi);
}

void IkeDaemon::RetransmitTimeout(uint64_t localSpi) {
  auto it = m_sas.find(localSpi);
  if (it == m_sas.end()) return;
  SaSlot& slot = it->second;
  if (!slot.sa->Window().RequestOutstanding()) return;
  const bool established = slot.sa->State() == IkeSaState::kEstablished;
  const bool pastDpdTimeout = established && m_dpdTimeout.IsStrictlyPositive() &&
                              ns3::Simulator::Now() - slot.firstSent >= m_dpdTimeout;
  if (slot.transmissions >= m_retransmitTries || pastDpdTimeout) {
    ++m_counters.gaveUp;
    const std::string why =
        "no response after " + std::to_string(slot.transmissions) + " transmissions";
    if (established) {
      m_log.push_back(LogLine("peer " + slot.sa->Context().peerId + " dead: " + why));
      PeerDead(slot);
      return;
    }
    auto c = m_connections.find(slot.connection);
    if (c != m_connections.end()) ConnectionFailed(c->second, why);
    return;
  }
  ++slot.transmissions;
  ++m_counters.retransmitted;
  Transmit(slot.sa->Window().OutstandingRequest(), slot.sa->Context().remote, Floated(*slot.sa));
  slot.retransmit =
      ns3::Simulator::Schedule(m_retransmitInterval * double(1u << (slot.transmissions - 1)),
                               &IkeDaemon::RetransmitTimeout, this, localSpi);
}

void IkeDaemon::Transmit(const Bytes& datagram, Endpoint to, bool natt) {
  bool sent = false;
  if (natt) {
    Bytes marked(kNonEspMarkerLen + datagram.size(), 0);  // RFC 3948 §2.2
    std::copy(datagram.begin(), datagram.end(), marked.begin() + kNonEspMarkerLen);
    sent = SendUdp(marked, to, true);
  } else {
    sent = SendUdp(datagram, to, false);
  }
  if (sent) ++m_counters.sent;
}

bool IkeDaemon::SendUdp(const Bytes& payload, Endpoint to, bool natt) {
  ns3::Ptr<ns3::Socket> socket = SocketTo(to.address, natt);
  if (!socket) {
    m_log.push_back(LogLine("no address of the family of " + to.address.ToString()));
    return false;
  }
  socket->SendTo(ns3::Create<ns3::Packet>(payload.data(), payload.size()), 0,
                 SocketAddressOf(to.address, to.port));
  return true;
}

std::string IkeDaemon::LogLine(const std::string& text) const {
  std::string line =
      std::to_string(ns3::Simulator::Now().GetSeconds()) + "s " + m_identity.id + ": " + text;
  line.shrink_to_fit();  // the appends left up to twice its length; the log keeps every line
  return line;
}

}  // namespace ipsecsim::ike
