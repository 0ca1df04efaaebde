#include "x509_public_key.h"

#include <cryptopp/filters.h>
#include <cryptopp/integer.h>

#include "x509_extensions.h"
#include "x509_oids.h"

namespace ipsecsim::pki {

using CryptoPP::BufferedTransformation;

void ReadRsaPublicKey(BufferedTransformation& in, DerContext& ctx, CryptoPP::RSA::PublicKey* key,
                      unsigned* bits) {
  ctx.Expect("subjectPublicKeyInfo");
  const size_t start = ctx.Offset();
  const Bytes spki = ReadRawElement(in, ctx, "subjectPublicKeyInfo");
  // Check the algorithm first so that a non-RSA key gets a clear message.
  auto algorithmError = RunDerDecoder(spki.data(), spki.size(), start, [](DerContext& c) {
    DerConstructed info(c.Input(), c, "SubjectPublicKeyInfo SEQUENCE");
    DerConstructed algorithm(info, c, "subjectPublicKey AlgorithmIdentifier SEQUENCE");
    const CryptoPP::OID id = ReadOid(algorithm, c, "subjectPublicKey algorithm");
    if (id != oid::RsaEncryption()) c.Fail("rsaEncryption, got " + OidToString(id));
    info.SkipAll();
    info.MessageEnd();
  });
  if (algorithmError) throw DerFailure(*algorithmError);
  ctx.Expect("RSA public key in subjectPublicKeyInfo");
  CryptoPP::ArraySource source(spki.data(), spki.size(), true);
  key->BERDecode(source);
  const CryptoPP::Integer& n = key->GetModulus();
  if (n.IsNegative() || n.BitCount() < 512 || n.BitCount() > 16384) {
    ctx.Fail("RSA modulus of 512 to 16384 bits");
  }
  *bits = n.BitCount();
}

}  // namespace ipsecsim::pki
