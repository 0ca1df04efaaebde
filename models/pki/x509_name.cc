#include "x509_name.h"

#include <cryptopp/asn.h>
#include <cryptopp/queue.h>

#include "x509_oids.h"

namespace ipsecsim::pki {

Bytes EncodeName(const std::string& commonName) {
  CryptoPP::ByteQueue q;
  CryptoPP::DERSequenceEncoder name(q);
  CryptoPP::DERSetEncoder rdn(name);
  CryptoPP::DERSequenceEncoder attribute(rdn);
  oid::CommonName().DEREncode(attribute);
  CryptoPP::DEREncodeTextString(attribute, commonName, CryptoPP::UTF8_STRING);
  attribute.MessageEnd();
  rdn.MessageEnd();
  name.MessageEnd();
  Bytes out(static_cast<size_t>(q.MaxRetrievable()));
  q.Get(out.data(), out.size());
  return out;
}

ParsedName ReadName(CryptoPP::BufferedTransformation& in, DerContext& ctx,
                    const std::string& what) {
  ParsedName parsed;
  ctx.Expect(what);
  const size_t start = ctx.Offset();
  DerConstructed name(in, ctx, what + " Name SEQUENCE");
  while (!name.EndReached()) {
    DerConstructed rdn(name, ctx, what + " RelativeDistinguishedName SET",
                       CryptoPP::SET | CryptoPP::CONSTRUCTED);
    if (rdn.EndReached()) ctx.Fail("empty RelativeDistinguishedName");
    while (!rdn.EndReached()) {
      DerConstructed attribute(rdn, ctx, what + " AttributeTypeAndValue SEQUENCE");
      const CryptoPP::OID type = ReadOid(attribute, ctx, what + " attribute type");
      if (type == oid::CommonName()) {
        std::string cn = ReadDirectoryString(attribute, ctx, what + " commonName");
        if (parsed.commonName.empty()) parsed.commonName = std::move(cn);
      } else {
        SkipElement(attribute, ctx, what + " attribute value");
      }
      attribute.Finish(ctx, what + " AttributeTypeAndValue");
    }
    rdn.Finish(ctx, what + " RelativeDistinguishedName");
  }
  name.Finish(ctx, what + " Name");
  parsed.der = ctx.Slice(start, ctx.Offset());
  return parsed;
}

}  // namespace ipsecsim::pki
