// Modelled crypto (IkeDaemon attribute ModelledCrypto): cheap stand-ins for
// the public-key operations of an IKE SA, for capacity studies of very large
// meshes. THEY HAVE NO SECURITY VALUE: anyone who sees the wire can compute
// the "shared secret" and forge the "signature".
//
// What stays real: the wire (same payloads, same sizes), certificate chain
// validation, and every symmetric key (SKEYSEED, SK_*, KEYMAT through the
// real prf+), so SK payloads and ESP decrypt with the recorded keys. The
// simulated CPU time (DhCost, RsaCost) is charged as before.
//
//  * D-H (Modp2048KeyPair::GenerateModelled): public value = Expand of the
//    private exponent; g^ir = Expand of the two public values, sorted, so
//    both ends agree.
//  * AUTH (method 1, 256 bytes as RSA-2048): Expand of a key hashed from the
//    signer's RSA public key and the signed octets; the peer recomputes it
//    with the public key of the certificate it validated.
#pragma once

#include <cryptopp/rsa.h>

#include <string>

#include "bytes.h"
#include "payloads.h"

namespace ipsecsim::ike::modelled {

// SHA-256(label | 0 | counter (4 bytes) | SHA-256(input)) blocks, counter
// from 1, concatenated and truncated to `len` bytes.
Bytes Expand(const std::string& label, const Bytes& input, size_t len);

// An AUTH payload of the size an RSA signature with this key would have.
AuthPayload SignAuth(const CryptoPP::RSA::PrivateKey& key, const Bytes& signedOctets);
// True when `auth` is what SignAuth made with the private half of `key`.
bool VerifyAuth(const CryptoPP::RSA::PublicKey& key, const Bytes& signedOctets,
                const AuthPayload& auth);

}  // namespace ipsecsim::ike::modelled
