// The state an IKE SA's tasks share: endpoints, SPIs, nonces, D-H, keys,
// identities and the negotiated Child SA. Tasks read and fill it; the
// message flow (IDs, encryption, retransmission) lives in IkeSa.
#pragma once

#include <cryptopp/cryptlib.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dh_modp2048.h"
#include "ike_connection.h"
#include "ikev2_decryption_table.h"
#include "ip_address.h"
#include "key_derivation.h"
#include "protocol_ports.h"

namespace ipsecsim::ike {

struct Endpoint {
  IpAddress address;
  uint16_t port = ports::kIke;
};

struct ChildSaResult;

// What the IKE SA needs from the daemon that owns it.
class IkeSaEnvironment {
 public:
  virtual ~IkeSaEnvironment() = default;
  virtual CryptoPP::RandomNumberGenerator& Rng() = 0;
  virtual int64_t UnixNow() const = 0;  // certificate validity is checked at this time
  virtual const IkeIdentity& Identity() const = 0;
  virtual uint32_t AllocateChildSpi() = 0;  // a fresh inbound ESP SPI
  virtual uint64_t AllocateIkeSpi() = 0;    // a fresh local IKE SPI (IKE SA rekey)
  // Connections to `remoteAddress` whose rightid accepts `peerId`: what a
  // responder may use for a peer that authenticated as `peerId`. Without
  // one, the right=%any templates that accept it.
  virtual std::vector<const ConnectionConfig*> ConnectionsFor(const IpAddress& remoteAddress,
                                                              const std::string& peerId) const = 0;
  // Once the peer has authenticated: each template among `candidates`
  // replaced by an instance of it for `remoteAddress`.
  virtual std::vector<const ConnectionConfig*> Instantiate(
      std::vector<const ConnectionConfig*> candidates, const IpAddress& /*remoteAddress*/) {
    return candidates;
  }
  // The installed Child SA whose outbound SPI (chosen by the peer) is
  // `spiOut`, if any: what REKEY_SA and Delete payloads name.
  virtual const ChildSaResult* ChildByOutboundSpi(uint32_t /*spiOut*/) const { return nullptr; }
  // Whether a CREATE_CHILD_SA rekey offers a KE (PFS).
  virtual bool RekeyWithPfs() const { return false; }
  // encapsulation=yes towards this peer: our NAT_DETECTION_SOURCE_IP hash
  // is made over port 0 so that the peer detects a NAT too.
  virtual bool ForcesEncapsulation(const IpAddress& /*remoteAddress*/) const { return false; }
  // Modelled crypto (modelled_crypto.h): cheap D-H and AUTH stand-ins with
  // the real wire sizes, for capacity studies; no security value.
  virtual bool ModelledCrypto() const { return false; }
  // A peer's certificate did not validate (IKE_AUTH fails with
  // AUTHENTICATION_FAILED), in either role.
  virtual void NoteCertificateRefused() {}
  // Whether the IKE_AUTH request of our IKE SA `localSpi` carries
  // INITIAL_CONTACT: it was our only IKE SA with the peer when it began.
  virtual bool SendsInitialContact(uint64_t /*localSpi*/) const { return false; }
  // An IKE SA now has its keys (IKE_SA_INIT, or a rekey): what the daemon
  // announces so that captures can be decrypted.
  virtual void AnnounceIkeSaKeys(const IkeSaKeyRecord& /*keys*/) {}
};

// A fresh D-H key pair, real or modelled as the environment says.
inline Modp2048KeyPair NewDhKeyPair(IkeSaEnvironment& env) {
  return env.ModelledCrypto() ? Modp2048KeyPair::GenerateModelled(env.Rng())
                              : Modp2048KeyPair::Generate(env.Rng());
}

// One negotiated Child SA, from this node's point of view.
struct ChildSaResult {
  const ConnectionConfig* connection = nullptr;
  uint32_t spiIn = 0;   // chosen by this node
  uint32_t spiOut = 0;  // chosen by the peer
  Bytes keymatIn;       // AES-256 key || salt
  Bytes keymatOut;
  uint32_t rekeyOf = 0;        // a CREATE_CHILD_SA rekey: the spiIn of the Child SA it replaces
  Bytes lowestNonce = {};      // a rekey: the lower of its Ni and Nr (RFC 7296 §2.8.1)
  bool initiatedHere = false;  // this node sent the request that made it
};

// What the last message did that the daemon must act on; taken with
// IkeSa::TakeEvents().
struct IkeSaEvents {
  std::vector<ChildSaResult> children;  // negotiated, to install
  // The peer deleted these Child SAs: our outbound SPIs (its inbound ones).
  std::vector<uint32_t> deletedByPeer;
  // The peer confirmed the deletion we asked for: our inbound SPIs.
  std::vector<uint32_t> deleteConfirmed;
  bool ikeSaDeletedByPeer = false;
  bool ikeSaDeleteConfirmed = false;
  bool livenessAnswered = false;
  // An IKE SA rekey finished: the new SA's SPIs and keys (RFC 7296 §2.18).
  struct IkeRekey {
    uint64_t spiI = 0;
    uint64_t spiR = 0;
    IkeSaKeys keys;
    Bytes nonceI;
    Bytes nonceR;
    bool initiatedHere = false;  // this node sent the CREATE_CHILD_SA request
  };
  // A pointer, not an optional: every IKE SA holds an IkeSaEvents, and this
  // would be most of its size.
  std::unique_ptr<IkeRekey> ikeRekey;
};

struct IkeSaContext {
  IkeSaEnvironment* env = nullptr;
  bool initiator = false;
  uint64_t spiI = 0;
  uint64_t spiR = 0;
  Endpoint local;
  Endpoint remote;
  // Initiator: the connection being brought up. Responder: set by IKE_AUTH.
  const ConnectionConfig* connection = nullptr;
  std::vector<const ConnectionConfig*> candidates;  // responder, after IDi

  // IKE_SA_INIT
  SaPayload offeredIkeSa;  // initiator: what it offered
  std::optional<Modp2048KeyPair> dh;
  Bytes nonceI;
  Bytes nonceR;
  Bytes initRequest;  // both IKE_SA_INIT datagrams, signed in AUTH
  Bytes initResponse;
  bool natDetectedLocal = false;   // our address/port was changed on the way
  bool natDetectedRemote = false;  // the peer's was
  std::optional<IkeSaKeys> keys;

  // IKE_AUTH
  std::string peerId;               // "@<system-id>" the peer authenticated as
  bool peerInitialContact = false;  // its IKE_AUTH request carried INITIAL_CONTACT
  std::optional<ChildSaResult> child;
  IkeSaEvents events;

  // Failure: the notify sent (responder) or received or decided (initiator).
  std::optional<NotifyType> errorNotify;
  std::string failure;
  void Fail(NotifyType notify, std::string why) {
    if (!errorNotify) {
      errorNotify = notify;
      failure = std::move(why);
    }
  }
  bool Failed() const { return errorNotify.has_value(); }
};

}  // namespace ipsecsim::ike
