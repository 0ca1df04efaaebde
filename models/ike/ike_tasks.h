// The tasks of the exchanges that bring up an IKE SA and its first Child SA
// (RFC 7296 §1.2): IKE_SA_INIT runs IkeInitTask; IKE_AUTH runs IkeAuthTask
// then ChildCreateTask. Each is implemented in its own file.
#pragma once

#include <memory>
#include <string>

#include "ike_task.h"

namespace ipsecsim::ike {

// SA (ike proposal), KE (MODP-2048), Nonce, NAT detection notifies; derives
// the IKE SA keys. Responder errors: NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD,
// INVALID_SYNTAX.
std::unique_ptr<IkeTask> MakeIkeInitTask();
// IDi/IDr (ID_FQDN), CERT, AUTH (RSA signature); the peer's certificate is
// validated against the CA bundle at the environment's time and must name
// the expected ID. Errors: AUTHENTICATION_FAILED.
std::unique_ptr<IkeTask> MakeIkeAuthTask();
// USE_TRANSPORT_MODE, SA (esp proposal), TSi/TSr; computes the Child SA
// KEYMAT. Errors: NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE. Its failure leaves the
// IKE SA up without a Child SA (RFC 7296 §1.2).
std::unique_ptr<IkeTask> MakeChildCreateTask();

// CREATE_CHILD_SA rekeying `old` (REKEY_SA, new SPIs and nonces, KE when the
// environment asks for PFS); the new Child SA goes to the context's events
// with rekeyOf = old.spiIn. The responder finds the SA by the REKEY_SA SPI.
// Errors: CHILD_SA_NOT_FOUND, NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE,
// INVALID_KE_PAYLOAD. The IKE SA stays up either way.
std::unique_ptr<IkeTask> MakeChildRekeyTask(const ChildSaResult& old);
std::unique_ptr<IkeTask> MakeChildRekeyResponderTask();

// CREATE_CHILD_SA rekeying the IKE SA (RFC 7296 §1.3.2, §2.18): SA with
// the new IKE SPI, Ni/Nr, KE (MODP-2048); the new SA's SPIs and keys go to
// the context's events (ikeRekey). Errors: NO_PROPOSAL_CHOSEN,
// INVALID_KE_PAYLOAD, INVALID_SYNTAX. The old IKE SA stays up either way.
std::unique_ptr<IkeTask> MakeIkeRekeyTask();
// Whether a CREATE_CHILD_SA request rekeys the IKE SA (its SA payload
// proposes protocol IKE) rather than a Child SA.
bool RekeysIkeSa(const std::vector<Payload>& request);

// INFORMATIONAL: Delete of our Child SAs named by their inbound SPIs, Delete
// of the IKE SA, an empty liveness check, and the responder to all three.
std::unique_ptr<IkeTask> MakeChildDeleteTask(std::vector<uint32_t> inboundSpis);
std::unique_ptr<IkeTask> MakeIkeDeleteTask();
std::unique_ptr<IkeTask> MakeLivenessTask();
std::unique_ptr<IkeTask> MakeInformationalResponderTask();

// A fresh 32-byte nonce (Ni or Nr) from the environment's generator.
Bytes NewNonce(IkeSaContext& sa);
// The peer's nonce from a message's Nonce payload; empty when there is none.
Bytes PeerNonce(const std::vector<Payload>& in);
// Records why the exchange failed (and the notify to answer with) on the SA.
TaskResult FailTask(IkeSaContext& sa, NotifyType notify, std::string why);
// A CREATE_CHILD_SA's g^ir from the peer's KE payload, with our key pair
// (made on first use). False, with INVALID_KE_PAYLOAD or INVALID_SYNTAX
// recorded on the SA, when the KE is missing, another group or invalid.
bool RekeySharedSecret(IkeSaContext& sa, const std::vector<Payload>& in,
                       std::optional<Modp2048KeyPair>& dh, const char* what, Bytes* secret);

// Exactly one selector equal to `expected` (ipsecsim neither narrows nor
// widens: both ends are configured with the same host-to-host selectors).
inline bool IsExactly(const TsPayload* ts, const TrafficSelector& expected) {
  return ts && ts->selectors.size() == 1 && ts->selectors[0] == expected;
}

// The first error notify (type below 16384) in a payload list.
const NotifyPayload* FindErrorNotify(const std::vector<Payload>& payloads);

}  // namespace ipsecsim::ike
