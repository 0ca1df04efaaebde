// What a PKCS#12 bundle gives the host that imports it: the end-entity
// certificate with its private key (paired by localKeyId, else by public
// key), the other certificates, the nickname the bundle carries, and whether
// the key belongs to the certificate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "certificate.h"
#include "pkcs12_file.h"

namespace ipsecsim::pkcs12 {

// The last value of each attribute in a distinguished name, which is what
// NSS's CERT_GetCommonName / CERT_GetOrgUnitName / CERT_GetOrgName /
// CERT_GetDomainComponentName return (lib/certdb/alg1485.c).
struct NameAttributes {
  std::string commonName;
  std::string organizationalUnit;
  std::string organization;
  std::string domainComponent;
};
NameAttributes ReadNameAttributes(const Bytes& nameDer);

struct BundleIdentity {
  pki::Certificate leaf;                 // the certificate that has the key, else the first non-CA
  std::vector<pki::Certificate> others;  // CA and chain certificates, in file order
  bool hasKey = false;
  bool keyMatchesLeaf = false;
  std::string keyProblem;  // why the key could not be compared, when it could not
  // The nickname pk12util starts from: the certificate bag's friendlyName,
  // else the key bag's (p12d.c sec_pkcs12_get_nickname_for_cert).
  std::optional<std::string> friendlyName;
  NameAttributes subject;
  NameAttributes issuer;
};

// Throws BundleError when a certificate in it does not parse or there is none.
BundleIdentity IdentifyBundle(const Bundle& bundle);

}  // namespace ipsecsim::pkcs12
