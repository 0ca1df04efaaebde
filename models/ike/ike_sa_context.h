// The state an IKE SA's tasks share: endpoints, SPIs, nonces, D-H, keys,
// identities and the negotiated Child SA. Tasks read and fill it; the
// message flow (IDs, encryption, retransmission) lives in IkeSa.
#pragma once

#include <cryptopp/cryptlib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dh_modp2048.h"
#include "ike_connection.h"
#include "key_derivation.h"

namespace ipsecsim::ike {

struct Endpoint {
  uint32_t address = 0;  // IPv4, host byte order
  uint16_t port = 500;
};

// What the IKE SA needs from the daemon that owns it.
class IkeSaEnvironment {
 public:
  virtual ~IkeSaEnvironment() = default;
  virtual CryptoPP::RandomNumberGenerator& Rng() = 0;
  virtual int64_t UnixNow() const = 0;  // certificate validity is checked at this time
  virtual const IkeIdentity& Identity() const = 0;
  virtual uint32_t AllocateChildSpi() = 0;  // a fresh inbound ESP SPI
  // Connections to `remoteAddress` whose rightid is `peerId`: what a responder
  // may use for a peer that authenticated as `peerId`.
  virtual std::vector<const ConnectionConfig*> ConnectionsFor(uint32_t remoteAddress,
                                                              const std::string& peerId) const = 0;
};

// One negotiated Child SA, from this node's point of view.
struct ChildSaResult {
  const ConnectionConfig* connection = nullptr;
  uint32_t spiIn = 0;   // chosen by this node
  uint32_t spiOut = 0;  // chosen by the peer
  Bytes keymatIn;       // AES-256 key || salt
  Bytes keymatOut;
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
  std::string peerId;  // "@<system-id>" the peer authenticated as
  std::optional<ChildSaResult> child;

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
