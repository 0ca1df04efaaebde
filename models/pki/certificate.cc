#include "certificate.h"

#include <cryptopp/filters.h>
#include <cryptopp/integer.h>

#include "pem.h"
#include "rsa_keys.h"
#include "x509_name.h"
#include "x509_oids.h"
#include "x509_public_key.h"

namespace ipsecsim::pki {

namespace {

using CryptoPP::BufferedTransformation;

constexpr CryptoPP::byte kVersionTag = 0xA0;     // [0] EXPLICIT
constexpr CryptoPP::byte kExtensionsTag = 0xA3;  // [3] EXPLICIT

struct AlgorithmId {
  Bytes der;
  std::string oid;
};

AlgorithmId ReadSignatureAlgorithm(BufferedTransformation& in, DerContext& ctx,
                                   const std::string& what) {
  AlgorithmId id;
  ctx.Expect(what + " AlgorithmIdentifier SEQUENCE");
  const size_t start = ctx.Offset();
  DerConstructed algorithm(in, ctx, what + " AlgorithmIdentifier SEQUENCE");
  id.oid = OidToString(ReadOid(algorithm, ctx, what + " algorithm"));
  if (!algorithm.EndReached()) SkipElement(algorithm, ctx, what + " parameters");
  algorithm.Finish(ctx, what + " AlgorithmIdentifier");
  id.der = ctx.Slice(start, ctx.Offset());
  return id;
}

}  // namespace

std::string Certificate::Pem() const { return PemEncode(der, "CERTIFICATE"); }

std::optional<Certificate> ParseCertificate(const uint8_t* der, size_t len, ParseError* error) {
  Certificate cert;
  auto failure = RunDerDecoder(der, len, 0, [&](DerContext& ctx) {
    BufferedTransformation& in = ctx.Input();
    DerConstructed outer(in, ctx, "Certificate SEQUENCE");
    const size_t tbsStart = ctx.Offset();
    DerConstructed tbs(outer, ctx, "TBSCertificate SEQUENCE");

    ctx.Expect("version or serialNumber");
    if (ctx.PeekTag(tbs) == kVersionTag) {
      DerConstructed version(tbs, ctx, "version [0]", kVersionTag);
      ctx.Expect("version (INTEGER)");
      CryptoPP::word32 v = 0;
      CryptoPP::BERDecodeUnsigned<CryptoPP::word32>(version, v, CryptoPP::INTEGER, 0, 2);
      cert.version = int(v) + 1;
      version.Finish(ctx, "version [0]");
    }
    cert.serial = ReadUnsignedInteger(tbs, ctx, "serialNumber");
    if (cert.serial.size() > 20) ctx.Fail("serial numbers are at most 20 bytes (RFC 5280)");
    const AlgorithmId inner = ReadSignatureAlgorithm(tbs, ctx, "TBSCertificate signature");

    ParsedName issuer = ReadName(tbs, ctx, "issuer");
    cert.issuerName = std::move(issuer.der);
    cert.issuerCn = std::move(issuer.commonName);

    DerConstructed validity(tbs, ctx, "Validity SEQUENCE");
    cert.notBefore = ReadTime(validity, ctx, "validity notBefore");
    cert.notAfter = ReadTime(validity, ctx, "validity notAfter");
    validity.Finish(ctx, "Validity");

    ParsedName subject = ReadName(tbs, ctx, "subject");
    cert.subjectName = std::move(subject.der);
    cert.subjectCn = std::move(subject.commonName);

    ReadRsaPublicKey(tbs, ctx, &cert.publicKey, &cert.keyBits);

    while (!tbs.EndReached()) {
      ctx.Expect("issuerUniqueID, subjectUniqueID or extensions");
      const CryptoPP::byte tag = ctx.PeekTag(tbs);
      if (tag == kExtensionsTag) {
        if (cert.version != 3) ctx.Fail("extensions need version 3");
        DerConstructed wrapper(tbs, ctx, "extensions [3]", kExtensionsTag);
        ReadExtensions(wrapper, ctx, &cert.extensions);
        wrapper.Finish(ctx, "extensions [3]");
        break;
      }
      if (tag != 0x81 && tag != 0xA1 && tag != 0x82 && tag != 0xA2) {
        ctx.Fail("unexpected tag " + ToHex(&tag, 1));
      }
      SkipElement(tbs, ctx, "unique identifier");
    }
    tbs.Finish(ctx, "TBSCertificate");
    cert.tbs = ctx.Slice(tbsStart, ctx.Offset());

    ctx.Expect("signatureAlgorithm");
    const size_t outerAlgorithmAt = ctx.Offset();
    const AlgorithmId outerAlgorithm = ReadSignatureAlgorithm(outer, ctx, "signatureAlgorithm");
    if (outerAlgorithm.der != inner.der) {  // RFC 5280 §4.1.1.2: the very same identifier
      throw DerFailure({outerAlgorithmAt,
                        "signatureAlgorithm identical to TBSCertificate signature", "it differs"});
    }
    cert.signatureAlgorithm = outerAlgorithm.oid;
    cert.signature = ReadBitString(outer, ctx, "signatureValue", true);
    outer.Finish(ctx, "Certificate");
  });
  if (failure) {
    if (error) *error = *failure;
    return std::nullopt;
  }
  cert.der.assign(der, der + len);
  return cert;
}

std::optional<std::vector<Certificate>> ParseCertificatesPem(std::string_view pem,
                                                             ParseError* error) {
  size_t badBlocks = 0;
  std::vector<Certificate> certs;
  for (const Bytes& der : PemDecodeAll(pem, "CERTIFICATE", &badBlocks)) {
    auto cert = ParseCertificate(der, error);
    if (!cert) return std::nullopt;
    certs.push_back(std::move(*cert));
  }
  if (badBlocks) {
    if (error) *error = ParseError{0, "base64 PEM body", "a CERTIFICATE block does not decode"};
    return std::nullopt;
  }
  return certs;
}

bool IsSignedBy(const Certificate& cert, const CryptoPP::RSA::PublicKey& issuerKey) {
  return cert.signatureAlgorithm == OidToString(oid::Sha256WithRsa()) &&
         VerifySha256(issuerKey, cert.tbs, cert.signature);
}

}  // namespace ipsecsim::pki
