#include "pbe.h"

#include <cryptopp/aes.h>
#include <cryptopp/des.h>
#include <cryptopp/hmac.h>
#include <cryptopp/modes.h>
#include <cryptopp/pwdbased.h>
#include <cryptopp/rc2.h>
#include <cryptopp/sha.h>

namespace ipsecsim::pkcs12 {

namespace {

constexpr const char* kPbes2 = "1.2.840.113549.1.5.13";
constexpr const char* kPbkdf2 = "1.2.840.113549.1.5.12";

struct Pkcs12Pbe {
  const char* oid;
  const char* name;
  const char* cipher;
  size_t keyLength;
};
const Pkcs12Pbe kPkcs12Pbes[] = {
    {"1.2.840.113549.1.12.1.3", "PBE-SHA1-3DES", "DES-EDE3-CBC", 24},
    {"1.2.840.113549.1.12.1.4", "PBE-SHA1-2DES", "DES-EDE2-CBC", 16},
    {"1.2.840.113549.1.12.1.5", "PBE-SHA1-RC2-128", "RC2-CBC", 16},
    {"1.2.840.113549.1.12.1.6", "PBE-SHA1-RC2-40", "RC2-CBC", 5},
};

struct Pbes2Cipher {
  const char* oid;
  const char* name;
  size_t keyLength;
};
const Pbes2Cipher kPbes2Ciphers[] = {
    {"2.16.840.1.101.3.4.1.2", "AES-128-CBC", 16},
    {"2.16.840.1.101.3.4.1.22", "AES-192-CBC", 24},
    {"2.16.840.1.101.3.4.1.42", "AES-256-CBC", 32},
    {"1.2.840.113549.3.7", "DES-EDE3-CBC", 24},
};

uint64_t ReadIterations(BerWalker& w, const std::string& what, uint64_t max) {
  const Element e = w.Next(kInteger, what);
  const uint64_t n = w.SmallIntegerOf(e, what);
  if (n == 0 || n > max)
    throw FormatError(e.offset,
                      what + " " + std::to_string(n) + " outside 1.." + std::to_string(max));
  return n;
}

template <class Cipher>
std::optional<Bytes> CbcDecrypt(const Bytes& key, const Bytes& iv, const Bytes& in,
                                unsigned rc2EffectiveBits = 0) {
  const size_t block = Cipher::BLOCKSIZE;
  if (in.empty() || in.size() % block != 0 || iv.size() != block) return std::nullopt;
  typename CryptoPP::CBC_Mode<Cipher>::Decryption d;
  if (rc2EffectiveBits)
    d.SetKey(key.data(), key.size(),
             CryptoPP::MakeParameters(CryptoPP::Name::EffectiveKeyLength(), int(rc2EffectiveBits))(
                 CryptoPP::Name::IV(), CryptoPP::ConstByteArrayParameter(iv.data(), iv.size())));
  else
    d.SetKeyWithIV(key.data(), key.size(), iv.data(), iv.size());
  Bytes out(in.size());
  d.ProcessData(out.data(), in.data(), in.size());
  const uint8_t pad = out.back();
  if (pad == 0 || pad > block) return std::nullopt;
  for (size_t i = out.size() - pad; i < out.size(); ++i)
    if (out[i] != pad) return std::nullopt;
  out.resize(out.size() - pad);
  return out;
}

std::optional<Bytes> DecryptWith(const std::string& cipher, const Bytes& key, const Bytes& iv,
                                 const Bytes& in) {
  if (cipher.rfind("AES-", 0) == 0) return CbcDecrypt<CryptoPP::AES>(key, iv, in);
  if (cipher == "DES-EDE3-CBC") return CbcDecrypt<CryptoPP::DES_EDE3>(key, iv, in);
  if (cipher == "DES-EDE2-CBC") return CbcDecrypt<CryptoPP::DES_EDE2>(key, iv, in);
  if (cipher == "RC2-CBC") return CbcDecrypt<CryptoPP::RC2>(key, iv, in, unsigned(key.size() * 8));
  return std::nullopt;
}

template <class Hash>
Bytes Pkcs12Kdf(uint8_t id, const Bytes& bmpPassword, const Bytes& salt, uint64_t iterations,
                size_t length) {
  Bytes out(length);
  CryptoPP::PKCS12_PBKDF<Hash> kdf;
  kdf.DeriveKey(out.data(), out.size(), id, bmpPassword.data(), bmpPassword.size(), salt.data(),
                salt.size(), static_cast<unsigned>(iterations), 0);
  return out;
}

template <class Hash>
Bytes Pbkdf2(const std::string& password, const Bytes& salt, uint64_t iterations, size_t length) {
  Bytes out(length);
  CryptoPP::PKCS5_PBKDF2_HMAC<Hash> kdf;
  kdf.DeriveKey(out.data(), out.size(), 0, reinterpret_cast<const uint8_t*>(password.data()),
                password.size(), salt.data(), salt.size(), static_cast<unsigned>(iterations), 0);
  return out;
}

template <class Hash>
Bytes Hmac(const Bytes& key, const Bytes& data) {
  CryptoPP::HMAC<Hash> mac(key.data(), key.size());
  Bytes out(Hash::DIGESTSIZE);
  mac.CalculateDigest(out.data(), data.data(), data.size());
  return out;
}

}  // namespace

Bytes BmpPassword(const std::string& utf8, bool emptyAsNothing) {
  Bytes out;
  if (utf8.empty() && emptyAsNothing) return out;
  for (size_t i = 0; i < utf8.size();) {
    uint32_t cp = static_cast<uint8_t>(utf8[i]);
    size_t n = cp < 0x80 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4;
    if (n > 1) cp &= (0x7f >> n);
    for (size_t k = 1; k < n && i + k < utf8.size(); ++k)
      cp = cp << 6 | (static_cast<uint8_t>(utf8[i + k]) & 0x3f);
    i += n;
    if (cp > 0xffff) cp = 0xfffd;  // BMP only
    out.push_back(static_cast<uint8_t>(cp >> 8));
    out.push_back(static_cast<uint8_t>(cp));
  }
  out.push_back(0);
  out.push_back(0);
  return out;
}

PbeAlgorithm ReadPbeAlgorithm(BerWalker& walker, const Element& alg, uint64_t maxIterations) {
  BerWalker a = walker.Inside(alg);
  PbeAlgorithm out;
  const Element oid = a.Next(kOid, "encryption algorithm OID");
  out.oid = a.OidOf(oid);
  for (const Pkcs12Pbe& p : kPkcs12Pbes) {
    if (out.oid != p.oid) continue;
    out.name = p.name;
    out.cipher = p.cipher;
    out.keyLength = p.keyLength;
    const Element params = a.Next(kSequence, "PKCS#12 PBE parameters");
    BerWalker pw = walker.Inside(params);
    out.salt = pw.OctetsOf(pw.Next(kOctetString, "PBE salt"));
    out.iterations = ReadIterations(pw, "PBE iteration count", maxIterations);
    return out;
  }
  if (out.oid != kPbes2)
    throw FormatError(oid.offset, "encryption algorithm " + out.oid +
                                      " not supported (expected PBES2 or a PKCS#12 PBE)");
  BerWalker params = walker.Inside(a.Next(kSequence, "PBES2 parameters"));
  BerWalker kdf = walker.Inside(params.Next(kSequence, "PBES2 key derivation function"));
  const Element kdfOid = kdf.Next(kOid, "key derivation function OID");
  if (kdf.OidOf(kdfOid) != kPbkdf2)
    throw FormatError(kdfOid.offset,
                      "key derivation " + kdf.OidOf(kdfOid) + " not supported (expected PBKDF2)");
  BerWalker pbkdf2 = walker.Inside(kdf.Next(kSequence, "PBKDF2 parameters"));
  out.salt = pbkdf2.OctetsOf(pbkdf2.Next(kOctetString, "PBKDF2 salt"));
  out.iterations = ReadIterations(pbkdf2, "PBKDF2 iteration count", maxIterations);
  out.prf = "SHA1";
  if (!pbkdf2.AtEnd() && pbkdf2.PeekTag() == kInteger) {
    const Element len = pbkdf2.Next(kInteger, "PBKDF2 key length");
    out.keyLength = pbkdf2.SmallIntegerOf(len, "PBKDF2 key length");
  }
  if (!pbkdf2.AtEnd()) {
    BerWalker prf = walker.Inside(pbkdf2.Next(kSequence, "PBKDF2 PRF"));
    const Element prfOid = prf.Next(kOid, "PRF OID");
    const std::string p = prf.OidOf(prfOid);
    if (p == "1.2.840.113549.2.9")
      out.prf = "SHA256";
    else if (p != "1.2.840.113549.2.7")
      throw FormatError(prfOid.offset,
                        "PBKDF2 PRF " + p + " not supported (expected HMAC-SHA1 or HMAC-SHA256)");
  }
  BerWalker scheme = walker.Inside(params.Next(kSequence, "PBES2 encryption scheme"));
  const Element cipherOid = scheme.Next(kOid, "cipher OID");
  const std::string c = scheme.OidOf(cipherOid);
  for (const Pbes2Cipher& p : kPbes2Ciphers) {
    if (c != p.oid) continue;
    out.cipher = p.name;
    if (out.keyLength && out.keyLength != p.keyLength)
      throw FormatError(cipherOid.offset, "PBKDF2 key length " + std::to_string(out.keyLength) +
                                              " does not fit " + p.name);
    out.keyLength = p.keyLength;
  }
  if (out.cipher.empty())
    throw FormatError(cipherOid.offset, "PBES2 cipher " + c + " not supported");
  out.iv = scheme.OctetsOf(scheme.Next(kOctetString, "cipher IV"));
  out.name = "PBES2/PBKDF2-HMAC-" + out.prf + "/" + out.cipher;
  return out;
}

std::optional<Bytes> PbeDecrypt(const PbeAlgorithm& alg, const std::string& password,
                                const Bytes& ciphertext) {
  if (alg.oid == kPbes2) {
    const Bytes key =
        alg.prf == "SHA256"
            ? Pbkdf2<CryptoPP::SHA256>(password, alg.salt, alg.iterations, alg.keyLength)
            : Pbkdf2<CryptoPP::SHA1>(password, alg.salt, alg.iterations, alg.keyLength);
    return DecryptWith(alg.cipher, key, alg.iv, ciphertext);
  }
  for (bool emptyAsNothing : {false, true}) {
    const Bytes bmp = BmpPassword(password, emptyAsNothing);
    const Bytes key = Pkcs12Kdf<CryptoPP::SHA1>(1, bmp, alg.salt, alg.iterations, alg.keyLength);
    const size_t ivLength = alg.cipher == "RC2-CBC" || alg.cipher.rfind("DES", 0) == 0 ? 8 : 16;
    const Bytes iv = Pkcs12Kdf<CryptoPP::SHA1>(2, bmp, alg.salt, alg.iterations, ivLength);
    if (auto plain = DecryptWith(alg.cipher, key, iv, ciphertext)) return plain;
    if (!password.empty()) break;
  }
  return std::nullopt;
}

namespace {

template <class Hash>
Bytes Pkcs12Hmac(const Bytes& bmpPassword, const Bytes& salt, uint64_t iterations,
                 const Bytes& data) {
  return Hmac<Hash>(Pkcs12Kdf<Hash>(3, bmpPassword, salt, iterations, Hash::DIGESTSIZE), data);
}

}  // namespace

std::optional<Bytes> Pkcs12Mac(const std::string& digest, const Bytes& bmpPassword,
                               const Bytes& salt, uint64_t iterations, const Bytes& data) {
  if (digest == "SHA1") return Pkcs12Hmac<CryptoPP::SHA1>(bmpPassword, salt, iterations, data);
  if (digest == "SHA256") return Pkcs12Hmac<CryptoPP::SHA256>(bmpPassword, salt, iterations, data);
  if (digest == "SHA384") return Pkcs12Hmac<CryptoPP::SHA384>(bmpPassword, salt, iterations, data);
  if (digest == "SHA512") return Pkcs12Hmac<CryptoPP::SHA512>(bmpPassword, salt, iterations, data);
  return std::nullopt;
}

}  // namespace ipsecsim::pkcs12
