// IkeDaemon: what pluto does on one ns-3 node. It listens on UDP 500 (IPv4,
// and IPv6 when the node has an address that is not link-local),
// negotiates IKE SAs and their Child SAs with IkeSa, installs the ESP SAs
// into the node's XfrmStack and reports per connection like
// `ipsec trafficstatus`.
//
//   auto daemon = ns3::CreateObject<IkeDaemon>();
//   daemon->SetAttribute("DhCost", TimeValue(MilliSeconds(2)));
//   daemon->Start(node, identity);       // bind UDP 500, listen for Acquire
//   ConnectionConfig out;                // a Libreswan conn, transport mode
//   out.name = "ovn-b-out"; out.localAddress = ...; out.remoteAddress = ...;
//   out.remoteId = "@b"; out.protocol = 17; out.remotePorts = PortSpan::Single(6081);
//   out.autoMode = AutoMode::kRoute;     // trap policies; Acquire initiates
//   daemon->AddConnection(out);
//   ...
//   daemon->TrafficStatus();             // up/down, SPIs, bytes
//   daemon->TraceConnectWithoutContext("IkeSaKeys", MakeCallback(&IkeSaKeyLog::Add, &log));
//
// Policies: for kRoute and kStart connections the daemon installs the out
// and in protect policies itself when the connection is added (like
// `ipsec auto --route`), with reqid = the connection's reqid; for kAdd when
// its Child SA comes up. An Acquire from XfrmStack starts the connection
// whose policy (reqid) or selector matches the packet.
//
// Timing: handling a message costs simulated CPU time (DhCost for a D-H
// computation, RsaCost for an RSA signature plus verification), spent one
// message after the other as in a single-threaded daemon. Requests are
// retransmitted after RetransmitInterval, doubling, and the exchange is
// given up after RetransmitTries transmissions.
//
// NAT traversal (ike_daemon_natt.cc, docs/ike.md): when IKE_SA_INIT's
// NAT_DETECTION notifies show a NAT, or encapsulation is forced
// (ForceEncapsulation attribute, ConnectionConfig::forceEncapsulation), IKE
// moves to UDP 4500 with the non-ESP marker, the Child SAs carry ESP in UDP
// and the side behind the NAT sends keepalives.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "deterministic_rng.h"
#include "ike_connection.h"
#include "ike_sa.h"
#include "ip_address_ns3.h"
#include "ns3/event-id.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "xfrm_stack.h"

namespace ipsecsim::ike {

enum class ConnectionState { kDown, kConnecting, kUp, kFailed };
// How simultaneous initiation by both ends is resolved (see docs/ike.md).
enum class CrossingStreamsProfile {
  kRfc7296,            // duplicates detected; the creator of the lowest-nonce IKE SA deletes it
  kLibreswan4xDefect,  // the responder yields silently; the loser's initiator still installs
};
const char* ConnectionStateName(ConnectionState state);
const char* NotifyTypeName(NotifyType type);
// "AUTHENTICATION_FAILED: peer certificate: expired"
std::string FailureText(const IkeSaContext& sa);

// One line of `ipsec trafficstatus`, plus why a connection is not up.
struct ConnectionStatus {
  std::string name;
  ConnectionState state = ConnectionState::kDown;
  uint32_t reqid = 0;
  uint32_t spiIn = 0;
  uint32_t spiOut = 0;
  uint64_t bytesIn = 0;  // from the SAD counters of the inbound state
  uint64_t bytesOut = 0;
  uint64_t ikeSpiI = 0;
  uint64_t ikeSpiR = 0;
  std::string peerId;
  std::string failure;         // e.g. "AUTHENTICATION_FAILED: peer certificate: expired"
  uint32_t transmissions = 0;  // of the last request, retransmissions included
  ns3::Time upSince;
};

struct IkeDaemonCounters {
  uint64_t received = 0;
  uint64_t malformed = 0;      // did not parse: counted and dropped
  uint64_t unknownSpi = 0;     // no IKE SA for the SPIs
  uint64_t dropped = 0;        // parsed, but refused by the IKE SA (ICV, window, state)
  uint64_t busyDiscarded = 0;  // retransmissions of a message still waiting for the CPU
  uint64_t sent = 0;
  uint64_t retransmitted = 0;      // requests sent again after a timeout
  uint64_t replayedResponses = 0;  // stored responses sent for retransmitted requests
  uint64_t acquires = 0;
  uint64_t gaveUp = 0;
  uint64_t childSasInstalled = 0;
  uint64_t childSasRekeyed = 0;    // rekeys this node initiated or answered
  uint64_t childSasDeleted = 0;    // Child SA pairs removed (rekey, Delete, peer dead)
  uint64_t livenessChecks = 0;     // empty INFORMATIONAL requests sent
  uint64_t deadPeers = 0;          // IKE SAs torn down because the peer stopped answering
  uint64_t duplicatesDeleted = 0;  // crossing streams: duplicate IKE SAs this node deleted
  uint64_t crossingYields = 0;     // defect profile: Child SAs answered but not installed
  uint64_t nattFloats = 0;         // IKE SAs moved to UDP 4500
  uint64_t nattKeepalivesSent = 0;
  uint64_t ikeSasRekeyed = 0;        // IKE SA rekeys this node initiated or answered
  uint64_t ikeRekeyCollisions = 0;   // IKE SA rekeys that crossed one of the peer's
  uint64_t rekeyCollisions = 0;      // Child SA rekeys that crossed one of the peer's
  uint64_t redundantDeleted = 0;     // of those, the redundant Child SAs this node deleted
  uint64_t replacedByUniqueIds = 0;  // instances deleted for a newer one with the same peer ID
  uint64_t certificatesRefused = 0;  // IKE_AUTHs failed on the peer's certificate (either role)
};

class IkeDaemon : public ns3::Object, private IkeSaEnvironment {
 public:
  static ns3::TypeId GetTypeId();
  IkeDaemon();
  ~IkeDaemon() override;

  // Binds UDP 500 on the node and subscribes to its XfrmStack's Acquire.
  void Start(ns3::Ptr<ns3::Node> node, IkeIdentity identity);
  // Loads a connection (names must be unique); see the file comment for
  // what each AutoMode does.
  void AddConnection(const ConnectionConfig& connection);
  // ipsec auto --up: false for an unknown name or a connection already up or
  // connecting.
  bool Initiate(const std::string& name);
  // ipsec auto --delete: sends Delete for the IKE SAs carrying the
  // connection, removes its states and policies and forgets it. False for an
  // unknown name.
  bool DeleteConnection(const std::string& name, bool sendDelete = true);
  // ipsec whack --rekey-ike: rekeys the IKE SA carrying the connection now
  // (CREATE_CHILD_SA, RFC 7296 §1.3.2). False when it has no established one.
  bool RekeyIkeSa(const std::string& name);
  // ipsec whack --rekey-ipsec: rekeys the connection's current Child SA now.
  // False when it has none or a rekey of it is under way.
  bool RekeyChildSa(const std::string& name);
  // The daemon process ends (ike_daemon_shutdown.cc). With sendDeletes, like
  // `ipsec stop`: every connection is deleted, so peers get a Delete for each
  // IKE SA and the node's states and policies go. Without (a crash or a
  // reboot), nothing is sent and the kernel keeps whatever it has. Either
  // way the daemon then ignores every packet, Acquire and timer; a new
  // IkeDaemon takes over the node. Keep the stopped object alive until the
  // simulation ends: events already scheduled still point at it.
  void Stop(bool sendDeletes);
  bool Stopped() const { return m_stopped; }

  ConnectionStatus Status(const std::string& name) const;
  // What a periodic reader needs of a connection, without building its
  // status: its state and, when up, its Child SA's inbound SPI (unknown
  // names: kDown).
  struct Brief {
    ConnectionState state = ConnectionState::kDown;
    uint32_t spiIn = 0;
  };
  Brief BriefStatus(const std::string& name) const;
  // Every loaded connection's name and state, in name order.
  template <typename Visit>
  void ForEachConnectionState(Visit visit) const {
    for (const auto& [name, c] : m_connections) visit(name, c.state);
  }
  std::vector<ConnectionStatus> TrafficStatus() const;
  std::string FormatTrafficStatus() const;  // one line per connection
  const IkeDaemonCounters& Counters() const { return m_counters; }
  // What the daemon did, one line per event, like pluto's log.
  const std::vector<std::string>& Log() const { return m_log; }
  const IkeIdentity& Identity() const override { return m_identity; }

  typedef void (*ConnectionTracedCallback)(const ConnectionStatus& status);
  typedef void (*ChildSaTracedCallback)(const std::string& connection, uint32_t spiIn,
                                        uint32_t spiOut);
  typedef void (*IkeSaKeysTracedCallback)(const IkeSaKeyRecord& keys);

 protected:
  void DoDispose() override;

 private:
  // One Child SA (an inbound and an outbound ESP state) of a connection.
  struct InstalledChild {
    ChildSaResult sa;
    uint64_t ikeSa = 0;              // local SPI of the IKE SA that carries it
    bool outboundInstalled = false;  // a rekey responder waits for the old SA's Delete
    bool rekeying = false;           // a CREATE_CHILD_SA replacing it is under way
    bool retiring = false;           // replaced; deleted after the overlap
    bool redundant = false;          // lost a rekey collision (RFC 7296 §2.8.1)
  };
  struct Connection {
    ConnectionConfig config;
    std::string instanceOf;  // an instance: the right=%any template it was made from
    uint32_t reqid = 0;
    bool policiesInstalled = false;
    std::vector<xfrm::PolicyId> policies;
    ConnectionState state = ConnectionState::kDown;
    uint64_t ikeSa = 0;                    // local SPI of the IKE SA bringing it up or carrying it
    std::vector<InstalledChild> children;  // oldest first
    std::string failure;
    ns3::Time upSince;
    const InstalledChild* Current() const;  // the newest that is not retiring
  };
  struct SaSlot {
    std::unique_ptr<IkeSa> sa;
    std::string connection;  // initiator: the connection it brings up
    ns3::EventId retransmit;
    uint32_t transmissions = 0;
    ns3::Time firstSent;    // of the outstanding request
    bool deleting = false;  // a Delete for the IKE SA is under way
    ns3::EventId liveness;
    uint64_t inboundBytesSeen = 0;  // at the last liveness tick
    ns3::Time created;              // initiated, or its IKE_SA_INIT request received
    bool initialContact = false;    // initiator: our only IKE SA with the peer at the time
    ns3::EventId keepalive;
    ns3::EventId ikeRekey;
    bool ikeRekeyArmed = false;
    uint64_t replacedBy = 0;  // rekeyed: the local SPI of the new IKE SA
  };

  // IkeSaEnvironment
  CryptoPP::RandomNumberGenerator& Rng() override { return *m_rng; }
  int64_t UnixNow() const override;
  uint32_t AllocateChildSpi() override;
  uint64_t AllocateIkeSpi() override { return NewIkeSpi(); }
  std::vector<const ConnectionConfig*> ConnectionsFor(const IpAddress& remoteAddress,
                                                      const std::string& peerId) const override;
  std::vector<const ConnectionConfig*> Instantiate(std::vector<const ConnectionConfig*> candidates,
                                                   const IpAddress& remoteAddress) override;
  const ChildSaResult* ChildByOutboundSpi(uint32_t spiOut) const override;
  bool RekeyWithPfs() const override { return m_rekeyPfs; }
  bool ForcesEncapsulation(const IpAddress& remoteAddress) const override;
  bool SendsInitialContact(uint64_t localSpi) const override;
  // ike_daemon_initial_contact.cc: INITIAL_CONTACT from a peer starts
  // a liveness check of the older IKE SAs with that peer (RFC 7296 §2.4).
  void HonourInitialContact(const SaSlot& slot);
  bool ModelledCrypto() const override { return m_modelledCrypto; }
  void NoteCertificateRefused() override { ++m_counters.certificatesRefused; }
  void AnnounceIkeSaKeys(const IkeSaKeyRecord& keys) override { m_ikeSaKeysTrace(keys); }

  // ike_daemon_connections.cc: configuration, Acquire, xfrm and status
  void InstallPolicies(Connection& connection);
  void RemovePolicies(Connection& connection);
  void OnAcquire(const xfrm::AcquireEvent& event);
  Connection* ConnectionForAcquire(const xfrm::AcquireEvent& event);
  void IndexConnection(const Connection& c);
  void UnindexConnection(const Connection& c);
  void ConnectionFailed(Connection& connection, std::string why);
  ConnectionStatus MakeStatus(const Connection& connection) const;

  // ike_daemon_children.cc: Child SA install, rekey, delete, expiry
  void InstallChild(const ChildSaResult& child, SaSlot& slot);
  bool InstallState(Connection& c, const IkeSa& sa, const ChildSaResult& child, bool inbound);
  void RemoveState(const Connection& c, uint32_t spi, bool inbound);
  Connection* ConnectionOf(uint32_t spiIn, InstalledChild** child);
  void StartChildRekey(Connection& c, uint32_t spiIn);
  void RetireAfterRekey(const std::string& connection, uint32_t oldSpiIn, uint32_t newSpiIn);
  void PeerDeletedChild(uint32_t spiOut);
  void DeleteConfirmed(uint32_t spiIn);
  void ForgetChild(Connection& c, uint32_t spiIn);
  void OnExpire(const xfrm::ExpireEvent& event);
  void CheckSequenceSpace();
  void OnSealed(uint32_t spi);
  void NoteChanged() { m_changedTrace(); }
  void ScheduleSequenceCheck();
  xfrm::Lifetime LifetimeFor(const ConnectionConfig& config, bool initiatedHere) const;

  // ike_daemon_rekey_collision.cc: both ends rekeyed the same Child SA
  void ResolveRekeyCollision(Connection& c, uint32_t newSpiIn);

  // ike_daemon_crossing.cc: simultaneous initiation
  // Defect profile: false when the responder yields and must not install.
  bool InstallAsResponder(const ChildSaResult& child, const SaSlot& slot);
  void ResolveDuplicate(Connection& c, uint64_t newIkeSa);
  // uniqueids: an instance just up replaces the template's older instances
  // whose peer proved the same ID.
  void WipeOlderInstances(const Connection& c, const std::string& peerId);

  // ike_daemon_ike_rekey.cc: IKE SA rekey before IkeLifetime
  void ScheduleIkeRekey(SaSlot& slot);
  void IkeRekeyTick(uint64_t localSpi);
  void AdoptRekeyedIkeSa(uint64_t oldSpi, const IkeSaEvents::IkeRekey& rekey);
  void ResolveIkeRekeyCollision(uint64_t oldSpi, uint64_t first, uint64_t second);
  void MoveToSuccessor(uint64_t from, uint64_t to);  // Child SAs, queue, timers
  void StartUsing(SaSlot& slot);                     // liveness, keepalives, rekey timer
  uint64_t Carrier(const SaSlot& slot) const;        // the IKE SA its Child SAs now belong to

  // ike_daemon_liveness.cc: liveness, dead peers, IKE SA teardown
  void ScheduleLiveness(SaSlot& slot);
  void LivenessTick(uint64_t localSpi);
  uint64_t InboundBytesOf(uint64_t localSpi) const;
  void PeerDead(SaSlot& slot);
  void DeleteIkeSa(uint64_t localSpi);  // sends Delete, removes states now
  void TearDownIkeSa(uint64_t localSpi, const std::string& why);

  // ike_daemon_natt.cc: UDP 4500, ESP in UDP, keepalives
  void OnNattIke(ns3::Ptr<ns3::Packet> packet, const ns3::Address& src, const ns3::Address& dst,
                 uint16_t srcPort, uint16_t dstPort);
  bool BehindNat(const IkeSa& sa) const;  // a NAT rewrote our address, or forced
  void FloatIfNatted(SaSlot& slot);       // initiator, after IKE_SA_INIT
  void FollowPeer(SaSlot& slot, Endpoint from, IpAddress localAddress);  // arrived on 4500
  static bool Floated(const IkeSa& sa);
  std::optional<xfrm::UdpEncap> EncapFor(const IkeSa& sa, bool inbound) const;
  void ScheduleKeepalive(SaSlot& slot);
  void KeepaliveTick(uint64_t localSpi);

  // ike_daemon.cc: sockets, messages, CPU time, retransmission
  // UDP 500 and UDP 4500 of one IP version: bound to 0.0.0.0 or ::.
  struct Sockets {
    ns3::Ptr<ns3::Socket> ike;
    ns3::Ptr<ns3::Socket> natt;  // sends only: xfrm hands us what arrives on 4500
  };
  Sockets OpenSockets(IpAddress::Family family);
  void CloseSockets();
  ns3::Ptr<ns3::Socket> SocketTo(const IpAddress& peer, bool natt) const;
  // Sends from UDP 500, or 4500 with natt; false when the node has no
  // address of the peer's family.
  bool SendUdp(const Bytes& payload, Endpoint to, bool natt);
  void ProcessEvents(uint64_t localSpi);
  void Kick(SaSlot& slot);  // sends the next queued request if none is outstanding
  void StartExchange(const std::string& name);
  void OnReadable(ns3::Ptr<ns3::Socket> socket);
  // localAddress: where the datagram was sent to; unspecified when unknown.
  void Handle(const Bytes& datagram, const IkeMessage& message, Endpoint from,
              IpAddress localAddress, bool viaNatt = false);
  // Parses a datagram (without the non-ESP marker) and handles it after its CPU cost.
  void Receive(Bytes datagram, Endpoint from, IpAddress localAddress, bool viaNatt);
  // The IKE SA the message belongs to; a new responder SA for a new IKE_SA_INIT.
  SaSlot* FindSa(const IkeHeader& header, Endpoint from, IpAddress localAddress);
  // The IKE SA the message belongs to, if there is one; never makes one.
  SaSlot* KnownSa(const IkeHeader& header, Endpoint from);
  // Whether the message ID says the message was handled before: a request
  // already answered (or older), or a response nothing waits for any more.
  bool AlreadyHandled(const IkeHeader& header, Endpoint from);
  // The node's first address of that family (not loopback, not link-local).
  IpAddress FirstAddress(IpAddress::Family family) const;
  std::string LogLine(const std::string& text) const;
  void AfterReception(SaSlot& slot);
  void SendNextRequest(SaSlot& slot);
  // natt: from UDP 4500 with the non-ESP marker.
  void Transmit(const Bytes& datagram, Endpoint to, bool natt = false);
  void RetransmitTimeout(uint64_t localSpi);
  ns3::Time CostOf(const IkeHeader& header, size_t size) const;
  // Runs `work` once the daemon's CPU has spent `cost` on it, after what is queued.
  void Spend(ns3::Time cost, std::function<void()> work);
  uint64_t NewIkeSpi();

  ns3::Ptr<ns3::Node> m_node;
  ns3::Ptr<xfrm::XfrmStack> m_xfrm;
  Sockets m_ipv4;
  Sockets m_ipv6;  // open when the node has an IPv6 address that is not link-local
  IkeIdentity m_identity;
  std::unique_ptr<pki::DeterministicRng> m_rng;
  std::map<std::string, Connection> m_connections;  // map: stable addresses for IkeSaContext
  // m_connections again, by remote address (names in m_connections' order)
  // and by reqid, so that per-message look-ups cost no walk over every peer.
  std::map<IpAddress, std::set<std::string>> m_connectionsByRemote;
  std::unordered_map<uint32_t, std::string> m_connectionByReqid;
  std::map<uint64_t, SaSlot> m_sas;                                     // by local SPI
  std::map<std::pair<IpAddress, uint64_t>, uint64_t> m_responderIndex;  // (peer, SPIi) -> SPIr
  uint32_t m_nextReqid = 1;
  std::map<std::string, uint32_t> m_instancesOf;  // right=%any template -> instances made
  bool m_uniqueIds = true;
  uint32_t m_nextChildSpi = 0;
  IkeDaemonCounters m_counters;
  std::vector<std::string> m_log;
  ns3::Time m_busyUntil;
  // Messages waiting for the CPU, by (peer, SPIi, SPIr, message ID, flags).
  std::set<std::tuple<IpAddress, uint64_t, uint64_t, uint32_t, uint8_t>> m_queued;
  bool m_stopped = false;

  // attributes
  ns3::Time m_dhCost;
  ns3::Time m_rsaCost;
  ns3::Time m_retransmitInterval;
  uint32_t m_retransmitTries = 5;
  int64_t m_epochSeconds = 0;
  uint64_t m_seed = 1;
  ns3::Time m_rekeyOverlap;
  bool m_rekeyPfs = false;
  uint64_t m_rekeySequence = 0;
  ns3::Time m_sequenceCheckInterval;
  ns3::Time m_dpdDelay;
  ns3::Time m_dpdTimeout;
  int m_crossingProfile = int(CrossingStreamsProfile::kRfc7296);  // ns-3 enums are ints
  CrossingStreamsProfile Crossing() const { return CrossingStreamsProfile(m_crossingProfile); }
  ns3::EventId m_sequenceCheck;
  // The check sleeps while no outbound ESP packet can have moved a sequence
  // number, and wakes on the grid it would have run on (ScheduleSequenceCheck).
  bool m_sequenceAsleep = false;
  ns3::Time m_lastSequenceCheck;
  bool m_forceEncapsulation = false;
  bool m_modelledCrypto = false;
  ns3::Time m_ikeLifetime;
  ns3::Time m_ikeRekeyMargin;
  ns3::Time m_nattKeepaliveInterval;

  ns3::TracedCallback<> m_changedTrace;
  ns3::TracedCallback<const ConnectionStatus&> m_upTrace;
  ns3::TracedCallback<const ConnectionStatus&> m_failedTrace;
  ns3::TracedCallback<const ConnectionStatus&> m_downTrace;
  ns3::TracedCallback<const std::string&, uint32_t, uint32_t> m_rekeyedTrace;
  ns3::TracedCallback<const IkeSaKeyRecord&> m_ikeSaKeysTrace;
};

}  // namespace ipsecsim::ike
