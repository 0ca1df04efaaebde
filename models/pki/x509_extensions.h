// The X.509 v3 extensions ipsecsim sets and reads: basicConstraints,
// keyUsage, extendedKeyUsage, subjectAltName (DNS names), subject and
// authority key identifiers.
#pragma once

#include <cryptopp/asn.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bytes.h"
#include "der_reader.h"

namespace ipsecsim::pki {

// keyUsage bits, numbered as in RFC 5280 §4.2.1.3.
enum KeyUsageBit : uint16_t {
  kDigitalSignature = 1u << 0,
  kKeyEncipherment = 1u << 2,
  kKeyCertSign = 1u << 5,
  kCrlSign = 1u << 6,
};

struct X509Extensions {
  bool hasBasicConstraints = false;
  bool isCa = false;
  std::optional<uint16_t> keyUsage;  // KeyUsageBit mask, when present
  bool serverAuth = false;           // extendedKeyUsage members
  bool clientAuth = false;
  std::vector<std::string> dnsNames;  // subjectAltName dNSName entries
  Bytes subjectKeyId;
  Bytes authorityKeyId;
  // Critical extensions ipsecsim does not understand (dotted OIDs); a
  // validator must reject such a certificate.
  std::vector<std::string> unknownCritical;
};

// Extensions ::= SEQUENCE OF Extension, DER.
Bytes EncodeExtensions(const X509Extensions& ext);
// Reads the SEQUENCE OF Extension that comes next in `in`.
void ReadExtensions(CryptoPP::BufferedTransformation& in, DerContext& ctx, X509Extensions* out);

std::string OidToString(const CryptoPP::OID& oid);

}  // namespace ipsecsim::pki
