// Reading an RSA SubjectPublicKeyInfo, shared by the certificate and CSR
// parsers.
#pragma once

#include <cryptopp/rsa.h>

#include "der_reader.h"

namespace ipsecsim::pki {

// Fails unless the key is rsaEncryption with a 512..16384-bit modulus.
void ReadRsaPublicKey(CryptoPP::BufferedTransformation& in, DerContext& ctx,
                      CryptoPP::RSA::PublicKey* key, unsigned* bits);

}  // namespace ipsecsim::pki
