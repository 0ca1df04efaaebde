// Object identifiers used by ipsecsim's certificates and CSRs.
#pragma once

#include <cryptopp/asn.h>

namespace ipsecsim::pki::oid {

inline CryptoPP::OID Arc(std::initializer_list<CryptoPP::word32> arcs) {
  CryptoPP::OID id;
  for (auto a : arcs) id += a;
  return id;
}

inline CryptoPP::OID CommonName() { return Arc({2, 5, 4, 3}); }
inline CryptoPP::OID Organization() { return Arc({2, 5, 4, 10}); }
inline CryptoPP::OID RsaEncryption() { return Arc({1, 2, 840, 113549, 1, 1, 1}); }
inline CryptoPP::OID Sha256WithRsa() { return Arc({1, 2, 840, 113549, 1, 1, 11}); }
inline CryptoPP::OID ExtensionRequest() { return Arc({1, 2, 840, 113549, 1, 9, 14}); }
inline CryptoPP::OID SubjectKeyIdentifier() { return Arc({2, 5, 29, 14}); }
inline CryptoPP::OID KeyUsage() { return Arc({2, 5, 29, 15}); }
inline CryptoPP::OID SubjectAltName() { return Arc({2, 5, 29, 17}); }
inline CryptoPP::OID BasicConstraints() { return Arc({2, 5, 29, 19}); }
inline CryptoPP::OID AuthorityKeyIdentifier() { return Arc({2, 5, 29, 35}); }
inline CryptoPP::OID ExtendedKeyUsage() { return Arc({2, 5, 29, 37}); }
inline CryptoPP::OID ServerAuth() { return Arc({1, 3, 6, 1, 5, 5, 7, 3, 1}); }
inline CryptoPP::OID ClientAuth() { return Arc({1, 3, 6, 1, 5, 5, 7, 3, 2}); }

}  // namespace ipsecsim::pki::oid
