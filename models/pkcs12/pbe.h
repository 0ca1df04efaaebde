// Password-based encryption as PKCS#12 files use it:
//   PBES2 (RFC 8018 §6.2) with PBKDF2-HMAC-SHA1/SHA-256 and AES-128/192/256-CBC
//   or DES-EDE3-CBC: what `openssl pkcs12 -export` writes by default (OpenSSL 3);
//   the PKCS#12 PBE schemes (RFC 7292 Appendix B and C) pbeWithSHAAnd3-KeyTripleDES-CBC
//   and pbeWithSHAAnd40BitRC2-CBC / 128BitRC2-CBC: `openssl pkcs12 -export -legacy`;
// and the PKCS#12 MAC (RFC 7292 §5, HMAC keyed with the Appendix B KDF, ID 3).
#pragma once

#include <optional>
#include <string>

#include "ber_walker.h"

namespace ipsecsim::pkcs12 {

// The algorithm of an EncryptedContentInfo or EncryptedPrivateKeyInfo,
// as read from its AlgorithmIdentifier element `alg` in `walker`'s data.
struct PbeAlgorithm {
  std::string name;  // e.g. "PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC", "PBE-SHA1-3DES"
  std::string oid;
  // PKCS#12 PBE
  Bytes salt;
  uint64_t iterations = 0;
  // PBES2
  std::string prf;     // "SHA1" | "SHA256"
  std::string cipher;  // "AES-256-CBC" ...
  Bytes iv;
  size_t keyLength = 0;
};

// Iteration counts above `maxIterations` are refused: they bound the work a
// hostile file can ask for.
PbeAlgorithm ReadPbeAlgorithm(BerWalker& walker, const Element& alg, uint64_t maxIterations);

// Decrypts and removes the CBC padding. nullopt when the password does not
// fit (the padding is wrong), which is what a wrong password looks like.
std::optional<Bytes> PbeDecrypt(const PbeAlgorithm& alg, const std::string& password,
                                const Bytes& ciphertext);

// The password as RFC 7292 Appendix B.1 wants it: BMPString, two zero bytes
// at the end. An empty password gives either those two bytes or nothing
// (`emptyAsNothing`): encoders differ, so the reader tries both.
Bytes BmpPassword(const std::string& utf8, bool emptyAsNothing = false);

// HMAC over `data` with a key from the PKCS#12 KDF (ID 3); digest "SHA1",
// "SHA256", "SHA384" or "SHA512".
std::optional<Bytes> Pkcs12Mac(const std::string& digest, const Bytes& bmpPassword,
                               const Bytes& salt, uint64_t iterations, const Bytes& data);

}  // namespace ipsecsim::pkcs12
