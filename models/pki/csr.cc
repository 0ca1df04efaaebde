#include "csr.h"

#include <cryptopp/asn.h>

#include "pem.h"
#include "rsa_keys.h"
#include "x509_encoding.h"
#include "x509_name.h"
#include "x509_oids.h"
#include "x509_public_key.h"

namespace ipsecsim::pki {

namespace {
constexpr CryptoPP::byte kAttributesTag = 0xA0;  // [0] IMPLICIT SET OF Attribute
}

Bytes BuildCsr(const CryptoPP::RSA::PrivateKey& key, const std::string& commonName,
               const std::vector<std::string>& dnsNames) {
  X509Extensions requested;
  requested.dnsNames = dnsNames;

  CryptoPP::ByteQueue q;
  CryptoPP::DERSequenceEncoder info(q);
  CryptoPP::DEREncodeUnsigned<CryptoPP::word32>(info, 0);  // version 1
  PutRaw(info, EncodeName(commonName));
  PutRaw(info, EncodePublicKeyInfo(key));
  {
    CryptoPP::DERGeneralEncoder attributes(info, kAttributesTag);
    if (!dnsNames.empty()) {
      CryptoPP::DERSequenceEncoder attribute(attributes);
      oid::ExtensionRequest().DEREncode(attribute);
      CryptoPP::DERSetEncoder values(attribute);
      PutRaw(values, EncodeExtensions(requested));
      values.MessageEnd();
      attribute.MessageEnd();
    }
    attributes.MessageEnd();
  }
  info.MessageEnd();
  const Bytes infoDer = TakeAll(q);
  return WrapSigned(infoDer, SignSha256(key, infoDer));
}

std::optional<CertificateRequest> ParseCsr(const uint8_t* der, size_t len, ParseError* error) {
  CertificateRequest csr;
  auto failure = RunDerDecoder(der, len, 0, [&](DerContext& ctx) {
    DerConstructed outer(ctx.Input(), ctx, "CertificationRequest SEQUENCE");
    const size_t infoStart = ctx.Offset();
    DerConstructed info(outer, ctx, "CertificationRequestInfo SEQUENCE");
    ctx.Expect("version (INTEGER 0)");
    CryptoPP::word32 version = 0;
    CryptoPP::BERDecodeUnsigned<CryptoPP::word32>(info, version, CryptoPP::INTEGER, 0, 0);
    ParsedName subject = ReadName(info, ctx, "subject");
    csr.subjectName = std::move(subject.der);
    csr.subjectCn = std::move(subject.commonName);
    ReadRsaPublicKey(info, ctx, &csr.publicKey, &csr.keyBits);

    DerConstructed attributes(info, ctx, "attributes [0]", kAttributesTag);
    while (!attributes.EndReached()) {
      DerConstructed attribute(attributes, ctx, "Attribute SEQUENCE");
      const CryptoPP::OID type = ReadOid(attribute, ctx, "attribute type");
      if (type == oid::ExtensionRequest()) {
        DerConstructed values(attribute, ctx, "extensionRequest values SET",
                              CryptoPP::SET | CryptoPP::CONSTRUCTED);
        ReadExtensions(values, ctx, &csr.requested);
        values.Finish(ctx, "extensionRequest values");
      } else {
        SkipElement(attribute, ctx, "attribute values");
      }
      attribute.Finish(ctx, "Attribute");
    }
    attributes.Finish(ctx, "attributes [0]");
    info.Finish(ctx, "CertificationRequestInfo");
    csr.info = ctx.Slice(infoStart, ctx.Offset());

    DerConstructed algorithm(outer, ctx, "signatureAlgorithm SEQUENCE");
    csr.signatureAlgorithm = OidToString(ReadOid(algorithm, ctx, "signatureAlgorithm algorithm"));
    if (!algorithm.EndReached()) SkipElement(algorithm, ctx, "signatureAlgorithm parameters");
    algorithm.Finish(ctx, "signatureAlgorithm");
    csr.signature = ReadBitString(outer, ctx, "signature", true);
    outer.Finish(ctx, "CertificationRequest");
  });
  if (failure) {
    if (error) *error = *failure;
    return std::nullopt;
  }
  csr.der.assign(der, der + len);
  return csr;
}

bool CertificateRequest::SelfSignatureValid() const {
  return signatureAlgorithm == OidToString(oid::Sha256WithRsa()) &&
         VerifySha256(publicKey, info, signature);
}

std::string CertificateRequest::Pem() const { return PemEncode(der, "CERTIFICATE REQUEST"); }

}  // namespace ipsecsim::pki
