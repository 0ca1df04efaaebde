// Small DER writers shared by the certificate and CSR builders.
#pragma once

#include <cryptopp/cryptlib.h>
#include <cryptopp/queue.h>

#include <cstdint>

#include "bytes.h"

namespace ipsecsim::pki {

// AlgorithmIdentifier for sha256WithRSAEncryption (with NULL parameters).
void PutSha256WithRsaAlgorithm(CryptoPP::BufferedTransformation& out);
// UTCTime before 2050, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
void PutTime(CryptoPP::BufferedTransformation& out, int64_t unixSeconds);
void PutRaw(CryptoPP::BufferedTransformation& out, const Bytes& der);
Bytes TakeAll(CryptoPP::ByteQueue& queue);
// SEQUENCE { tbs, algorithm, BIT STRING signature }: the signed envelope
// shared by certificates and CSRs.
Bytes WrapSigned(const Bytes& tbs, const Bytes& signature);

}  // namespace ipsecsim::pki
