// AUTH payload contents for RSA signatures (RFC 7296 §2.15):
//   signed octets = the sender's IKE_SA_INIT message | the peer's nonce
//                   | prf(SK_p, the sender's ID payload body)
// signed with RSASSA-PKCS1-v1_5 over SHA-256 using the node's pki key.
#pragma once

#include <cryptopp/rsa.h>

#include "bytes.h"
#include "payloads.h"

namespace ipsecsim::ike {

// `skP` is SK_pi for the initiator's AUTH, SK_pr for the responder's.
Bytes AuthSignedOctets(const Bytes& ikeSaInitMessage, const Bytes& peerNonce, const Bytes& skP,
                       const IdPayload& ownId);

AuthPayload SignAuth(const CryptoPP::RSA::PrivateKey& key, const Bytes& signedOctets);

// False for a wrong method, a malformed signature or a signature that does
// not verify; never throws.
bool VerifyAuth(const CryptoPP::RSA::PublicKey& key, const Bytes& signedOctets,
                const AuthPayload& auth);

}  // namespace ipsecsim::ike
