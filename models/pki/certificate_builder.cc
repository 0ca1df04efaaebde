#include <cryptopp/asn.h>
#include <cryptopp/integer.h>

#include "certificate.h"
#include "rsa_keys.h"
#include "x509_encoding.h"
#include "x509_name.h"

namespace ipsecsim::pki {

namespace {

X509Extensions ExtensionsFor(const CertificateSpec& spec, const Certificate* issuer) {
  X509Extensions ext;
  ext.hasBasicConstraints = true;
  ext.isCa = spec.isCa;
  if (spec.isCa) {
    ext.keyUsage = kKeyCertSign | kCrlSign;
  } else {
    ext.keyUsage = kDigitalSignature | kKeyEncipherment;
    ext.serverAuth = ext.clientAuth = true;
  }
  ext.dnsNames = spec.dnsNames;
  ext.subjectKeyId = KeyIdentifier(spec.subjectKey);
  ext.authorityKeyId = issuer ? issuer->extensions.subjectKeyId : ext.subjectKeyId;
  if (ext.authorityKeyId.empty()) ext.authorityKeyId = KeyIdentifier(issuer->publicKey);
  return ext;
}

}  // namespace

Bytes BuildCertificate(const CertificateSpec& spec, const Certificate* issuer,
                       const CryptoPP::RSA::PrivateKey& issuerKey) {
  CryptoPP::ByteQueue q;
  CryptoPP::DERSequenceEncoder tbs(q);
  {
    CryptoPP::DERGeneralEncoder version(tbs, 0xA0);             // [0] EXPLICIT
    CryptoPP::DEREncodeUnsigned<CryptoPP::word32>(version, 2);  // v3
    version.MessageEnd();
  }
  CryptoPP::Integer(spec.serial.data(), spec.serial.size()).DEREncode(tbs);
  PutSha256WithRsaAlgorithm(tbs);
  PutRaw(tbs, issuer ? issuer->subjectName : EncodeName(spec.subjectCn));
  {
    CryptoPP::DERSequenceEncoder validity(tbs);
    PutTime(validity, spec.notBefore);
    PutTime(validity, spec.notAfter);
    validity.MessageEnd();
  }
  PutRaw(tbs, EncodeName(spec.subjectCn));
  PutRaw(tbs, EncodePublicKeyInfo(spec.subjectKey));
  {
    CryptoPP::DERGeneralEncoder extensions(tbs, 0xA3);  // [3] EXPLICIT
    PutRaw(extensions, EncodeExtensions(ExtensionsFor(spec, issuer)));
    extensions.MessageEnd();
  }
  tbs.MessageEnd();
  const Bytes tbsDer = TakeAll(q);
  return WrapSigned(tbsDer, SignSha256(issuerKey, tbsDer));
}

}  // namespace ipsecsim::pki
