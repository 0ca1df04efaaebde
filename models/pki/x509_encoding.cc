#include "x509_encoding.h"

#include <cryptopp/asn.h>

#include "x509_oids.h"
#include "x509_time.h"

namespace ipsecsim::pki {

void PutSha256WithRsaAlgorithm(CryptoPP::BufferedTransformation& out) {
  CryptoPP::DERSequenceEncoder algorithm(out);
  oid::Sha256WithRsa().DEREncode(algorithm);
  CryptoPP::DEREncodeNull(algorithm);
  algorithm.MessageEnd();
}

void PutTime(CryptoPP::BufferedTransformation& out, int64_t unixSeconds) {
  const std::string text = FormatX509Time(unixSeconds);
  const CryptoPP::SecByteBlock block(reinterpret_cast<const CryptoPP::byte*>(text.data()),
                                     text.size());
  CryptoPP::DEREncodeDate(
      out, block,
      NeedsGeneralizedTime(unixSeconds) ? CryptoPP::GENERALIZED_TIME : CryptoPP::UTC_TIME);
}

void PutRaw(CryptoPP::BufferedTransformation& out, const Bytes& der) {
  out.Put(der.data(), der.size());
}

Bytes TakeAll(CryptoPP::ByteQueue& queue) {
  Bytes out(static_cast<size_t>(queue.MaxRetrievable()));
  queue.Get(out.data(), out.size());
  return out;
}

Bytes WrapSigned(const Bytes& tbs, const Bytes& signature) {
  CryptoPP::ByteQueue q;
  CryptoPP::DERSequenceEncoder outer(q);
  PutRaw(outer, tbs);
  PutSha256WithRsaAlgorithm(outer);
  CryptoPP::DEREncodeBitString(outer, signature.data(), signature.size(), 0);
  outer.MessageEnd();
  return TakeAll(q);
}

}  // namespace ipsecsim::pki
