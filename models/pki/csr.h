// PKCS#10 certificate signing requests (RFC 2986) as a node's IPsec pod
// makes them: subject CN = the OVS system-id, and an extensionRequest
// attribute asking for subjectAltName DNS:<system-id>.
#pragma once

#include <cryptopp/rsa.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bytes.h"
#include "der_reader.h"
#include "x509_extensions.h"

namespace ipsecsim::pki {

struct CertificateRequest {
  Bytes der;
  Bytes info;  // the signed CertificationRequestInfo
  std::string subjectCn;
  Bytes subjectName;
  CryptoPP::RSA::PublicKey publicKey;
  unsigned keyBits = 0;
  X509Extensions requested;  // from the extensionRequest attribute
  std::string signatureAlgorithm;
  Bytes signature;

  // Proof of possession: the request is signed by the key it carries.
  bool SelfSignatureValid() const;
  std::string Pem() const;
};

Bytes BuildCsr(const CryptoPP::RSA::PrivateKey& key, const std::string& commonName,
               const std::vector<std::string>& dnsNames);
std::optional<CertificateRequest> ParseCsr(const uint8_t* der, size_t len, ParseError* error);
inline std::optional<CertificateRequest> ParseCsr(const Bytes& der, ParseError* error) {
  return ParseCsr(der.data(), der.size(), error);
}

}  // namespace ipsecsim::pki
