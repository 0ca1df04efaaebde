#include "auth_octets.h"

#include "payload_codec.h"
#include "prf.h"
#include "rsa_keys.h"

namespace ipsecsim::ike {

Bytes AuthSignedOctets(const Bytes& ikeSaInitMessage, const Bytes& peerNonce, const Bytes& skP,
                       const IdPayload& ownId) {
  Bytes octets = ikeSaInitMessage;
  octets.insert(octets.end(), peerNonce.begin(), peerNonce.end());
  const Bytes macedId = PrfHmacSha256(skP, EncodeIdBody(ownId));
  octets.insert(octets.end(), macedId.begin(), macedId.end());
  return octets;
}

AuthPayload SignAuth(const CryptoPP::RSA::PrivateKey& key, const Bytes& signedOctets) {
  return AuthPayload{kAuthMethodRsaSignature, pki::SignSha256(key, signedOctets)};
}

bool VerifyAuth(const CryptoPP::RSA::PublicKey& key, const Bytes& signedOctets,
                const AuthPayload& auth) {
  return auth.method == kAuthMethodRsaSignature && pki::VerifySha256(key, signedOctets, auth.data);
}

}  // namespace ipsecsim::ike
