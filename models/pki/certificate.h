// X.509 v3 certificates: the fields ipsecsim needs, parsed from DER with
// precise errors, and built and signed with sha256WithRSAEncryption.
#pragma once

#include <cryptopp/rsa.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bytes.h"
#include "der_reader.h"
#include "x509_extensions.h"

namespace ipsecsim::pki {

struct Certificate {
  Bytes der;  // the whole certificate
  Bytes tbs;  // the signed TBSCertificate
  int version = 1;
  Bytes serial;  // big-endian, no sign byte
  std::string issuerCn;
  std::string subjectCn;
  Bytes issuerName;  // DER, compared byte for byte when chaining
  Bytes subjectName;
  int64_t notBefore = 0;  // UNIX seconds, both bounds inclusive
  int64_t notAfter = 0;
  CryptoPP::RSA::PublicKey publicKey;
  unsigned keyBits = 0;
  std::string signatureAlgorithm;  // dotted OID
  X509Extensions extensions;
  Bytes signature;

  bool IsCa() const { return extensions.hasBasicConstraints && extensions.isCa; }
  bool ValidAt(int64_t t) const { return notBefore <= t && t <= notAfter; }
  std::string SerialHex() const { return ToHex(serial); }
  std::string Pem() const;
};

std::optional<Certificate> ParseCertificate(const uint8_t* der, size_t len, ParseError* error);
inline std::optional<Certificate> ParseCertificate(const Bytes& der, ParseError* error) {
  return ParseCertificate(der.data(), der.size(), error);
}
// Every CERTIFICATE block of a PEM file; fails on the first bad one.
std::optional<std::vector<Certificate>> ParseCertificatesPem(std::string_view pem,
                                                             ParseError* error);

// True when `cert` carries a valid sha256WithRSAEncryption signature by the
// holder of `issuerKey`. Never throws.
bool IsSignedBy(const Certificate& cert, const CryptoPP::RSA::PublicKey& issuerKey);

// What the signer puts in a certificate.
struct CertificateSpec {
  Bytes serial;
  std::string subjectCn;
  std::vector<std::string> dnsNames;
  int64_t notBefore = 0;
  int64_t notAfter = 0;
  bool isCa = false;
  CryptoPP::RSA::PublicKey subjectKey;
};

// Signs `spec` with `issuerKey`. `issuer` is the issuing CA certificate, or
// nullptr for a self-signed certificate (then issuerKey must match
// spec.subjectKey). Extensions: critical basicConstraints and keyUsage
// (keyCertSign+cRLSign for a CA, digitalSignature+keyEncipherment for an
// end entity), extendedKeyUsage serverAuth+clientAuth for end entities,
// subjectAltName when dnsNames is not empty, subject and authority key
// identifiers.
Bytes BuildCertificate(const CertificateSpec& spec, const Certificate* issuer,
                       const CryptoPP::RSA::PrivateKey& issuerKey);

}  // namespace ipsecsim::pki
