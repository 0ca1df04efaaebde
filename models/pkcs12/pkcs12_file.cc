#include "pkcs12_file.h"

#include <cryptopp/misc.h>

#include <algorithm>

#include "ber_walker.h"
#include "pbe.h"

namespace ipsecsim::pkcs12 {

namespace {

constexpr const char* kData = "1.2.840.113549.1.7.1";
constexpr const char* kEncryptedData = "1.2.840.113549.1.7.6";
constexpr const char* kKeyBag = "1.2.840.113549.1.12.10.1.1";
constexpr const char* kShroudedKeyBag = "1.2.840.113549.1.12.10.1.2";
constexpr const char* kCertBag = "1.2.840.113549.1.12.10.1.3";
constexpr const char* kX509Certificate = "1.2.840.113549.1.9.22.1";
constexpr const char* kFriendlyName = "1.2.840.113549.1.9.20";
constexpr const char* kLocalKeyId = "1.2.840.113549.1.9.21";

std::string DigestName(const std::string& oid) {
  if (oid == "1.3.14.3.2.26") return "SHA1";
  if (oid == "2.16.840.1.101.3.4.2.1") return "SHA256";
  if (oid == "2.16.840.1.101.3.4.2.2") return "SHA384";
  if (oid == "2.16.840.1.101.3.4.2.3") return "SHA512";
  return "";
}

std::string BmpToUtf8(const Bytes& bmp) {
  std::string out;
  for (size_t i = 0; i + 1 < bmp.size(); i += 2) {
    const unsigned cp = unsigned(bmp[i]) << 8 | bmp[i + 1];
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | cp >> 6);
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xe0 | cp >> 12);
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  return out;
}

class Reader {
 public:
  Reader(const std::string& password, const ReadBundleLimits& limits)
      : password_(password), limits_(limits) {}

  Bundle Read(const Bytes& file) {
    if (file.size() > limits_.maxBytes)
      throw BundleError(BundleError::Kind::kMalformed, limits_.maxBytes,
                        "file larger than " + std::to_string(limits_.maxBytes) +
                            " bytes; expected a PKCS#12 bundle");
    BerWalker top(file, 0, file.size());
    const Element pfx = top.Next(kSequence, "PFX");
    top.ExpectEnd("the PFX");
    BerWalker w = top.Inside(pfx);
    const Element version = w.Next(kInteger, "PFX version");
    if (w.SmallIntegerOf(version, "PFX version") != 3)
      throw FormatError(
          version.offset,
          "PFX version " + std::to_string(w.SmallIntegerOf(version, "version")) + ", expected 3");
    BerWalker authSafe = w.Inside(w.Next(kSequence, "authSafe ContentInfo"));
    const Element type = authSafe.Next(kOid, "authSafe content type");
    if (authSafe.OidOf(type) != kData)
      throw BundleError(BundleError::Kind::kUnsupported, type.offset,
                        "authSafe content type " + authSafe.OidOf(type) +
                            " not supported (expected data: password integrity)");
    BerWalker explicit0 = authSafe.Inside(authSafe.Next(kContext0, "authSafe [0] content"));
    const Element octets = explicit0.Next(kOctetString, "authSafe OCTET STRING");
    const Bytes safe = explicit0.OctetsOf(octets);
    if (!w.AtEnd()) CheckMac(w, w.Next(kSequence, "macData"), safe);
    w.ExpectEnd("macData");
    // The authenticated safe: SEQUENCE OF ContentInfo.
    BerWalker safeWalker(safe, 0, safe.size(), octets.Constructed() ? octets.offset : octets.body);
    BerWalker infos = safeWalker.Inside(safeWalker.Next(kSequence, "AuthenticatedSafe"));
    safeWalker.ExpectEnd("the AuthenticatedSafe");
    while (!infos.AtEnd()) ReadContentInfo(infos);
    return std::move(bundle_);
  }

 private:
  void CheckMac(BerWalker& w, const Element& macData, const Bytes& safe) {
    BerWalker m = w.Inside(macData);
    BerWalker digestInfo = m.Inside(m.Next(kSequence, "MAC DigestInfo"));
    BerWalker alg = digestInfo.Inside(digestInfo.Next(kSequence, "MAC digest algorithm"));
    const Element algOid = alg.Next(kOid, "MAC digest OID");
    const std::string digest = DigestName(alg.OidOf(algOid));
    if (digest.empty())
      throw BundleError(BundleError::Kind::kUnsupported, algOid.offset,
                        "MAC digest " + alg.OidOf(algOid) + " not supported");
    const Bytes expected = digestInfo.OctetsOf(digestInfo.Next(kOctetString, "MAC value"));
    const Bytes salt = m.OctetsOf(m.Next(kOctetString, "MAC salt"));
    uint64_t iterations = 1;
    if (!m.AtEnd()) {
      const Element it = m.Next(kInteger, "MAC iteration count");
      iterations = m.SmallIntegerOf(it, "MAC iteration count");
      if (iterations == 0 || iterations > limits_.maxIterations)
        throw FormatError(it.offset, "MAC iteration count " + std::to_string(iterations) +
                                         " outside 1.." + std::to_string(limits_.maxIterations));
    }
    bundle_.hasMac = true;
    bundle_.macDigest = digest;
    bundle_.macIterations = iterations;
    for (bool emptyAsNothing : {false, true}) {
      const auto mac =
          Pkcs12Mac(digest, BmpPassword(password_, emptyAsNothing), salt, iterations, safe);
      if (mac && mac->size() == expected.size() &&
          CryptoPP::VerifyBufsEqual(mac->data(), expected.data(), mac->size()))
        return;
      if (!password_.empty()) break;
    }
    throw BundleError(BundleError::Kind::kWrongPassword, macData.offset,
                      "MAC verification failed (HMAC-" + digest +
                          "): the password is wrong, or the file was altered");
  }

  void ReadContentInfo(BerWalker& infos) {
    const Element info = infos.Next(kSequence, "ContentInfo");
    BerWalker c = infos.Inside(info);
    const Element type = c.Next(kOid, "ContentInfo type");
    const std::string oid = c.OidOf(type);
    BerWalker explicit0 = c.Inside(c.Next(kContext0, "ContentInfo [0] content"));
    if (oid == kData) {
      const Element octets = explicit0.Next(kOctetString, "SafeContents OCTET STRING");
      const Bytes contents = explicit0.OctetsOf(octets);
      ReadSafeContents(contents, octets.Constructed() ? octets.offset : octets.body, false, "none",
                       0);
      return;
    }
    if (oid != kEncryptedData)
      throw BundleError(
          BundleError::Kind::kUnsupported, type.offset,
          "ContentInfo type " + oid + " not supported (expected data or encryptedData)");
    BerWalker ed = explicit0.Inside(explicit0.Next(kSequence, "EncryptedData"));
    ed.Next(kInteger, "EncryptedData version");
    BerWalker eci = ed.Inside(ed.Next(kSequence, "EncryptedContentInfo"));
    eci.Next(kOid, "encrypted content type");
    const PbeAlgorithm alg = ReadPbeAlgorithm(
        eci, eci.Next(kSequence, "content encryption algorithm"), limits_.maxIterations);
    if (eci.AtEnd() || (eci.PeekTag() & 0xdf) != 0x80)
      throw FormatError(eci.AtEnd() ? info.End() : info.body,
                        "expected encryptedContent ([0] IMPLICIT OCTET STRING)");
    const Element encrypted = eci.NextAny("encryptedContent");
    const Bytes ciphertext = eci.OctetsOf(encrypted);
    NoteScheme(alg.name);
    const auto plain = PbeDecrypt(alg, password_, ciphertext);
    if (!plain)
      throw BundleError(
          BundleError::Kind::kWrongPassword, encrypted.offset,
          "cannot decrypt the encrypted content (" + alg.name + "): the password is wrong");
    ReadSafeContents(*plain, 0, true, alg.name, encrypted.offset);
  }

  // `base` is where `contents` starts in the file (plain content), or 0 for
  // decrypted content, whose errors also name `outer`, the encrypted element.
  void ReadSafeContents(const Bytes& contents, size_t base, bool decrypted,
                        const std::string& protection, size_t outer) {
    try {
      BerWalker top(contents, 0, contents.size(), base);
      BerWalker bags = top.Inside(top.Next(kSequence, "SafeContents"));
      top.ExpectEnd("the SafeContents");
      while (!bags.AtEnd()) ReadBag(bags, decrypted, protection);
    } catch (const FormatError& e) {
      if (!decrypted) throw;
      throw BundleError(BundleError::Kind::kMalformed, outer,
                        std::string("in the content decrypted from here, ") + e.what());
    }
  }

  void ReadBag(BerWalker& bags, bool decrypted, const std::string& protection) {
    const Element bagElement = bags.Next(kSequence, "SafeBag");
    if (bundle_.bags.size() >= limits_.maxBags)
      throw FormatError(bagElement.offset,
                        "more than " + std::to_string(limits_.maxBags) + " bags");
    BerWalker b = bags.Inside(bagElement);
    Bag bag;
    bag.offset = bagElement.offset;
    bag.inEncryptedContent = decrypted;
    bag.protection = protection;
    const Element idElement = b.Next(kOid, "bag type");
    const std::string id = b.OidOf(idElement);
    BerWalker value = b.Inside(b.Next(kContext0, "bag value [0]"));
    if (id == kCertBag) {
      BerWalker certBag = value.Inside(value.Next(kSequence, "CertBag"));
      const Element certType = certBag.Next(kOid, "certificate type");
      if (certBag.OidOf(certType) != kX509Certificate)
        throw FormatError(certType.offset, "certificate type " + certBag.OidOf(certType) +
                                               " not supported (expected x509Certificate)");
      BerWalker certValue = certBag.Inside(certBag.Next(kContext0, "certificate value [0]"));
      bag.der = certValue.OctetsOf(certValue.Next(kOctetString, "certificate OCTET STRING"));
      bag.kind = Bag::Kind::kCertificate;
    } else if (id == kKeyBag) {
      const Element key = value.Next(kSequence, "PrivateKeyInfo");
      bag.der = value.RawOf(key);
      bag.kind = Bag::Kind::kPrivateKey;
    } else if (id == kShroudedKeyBag) {
      BerWalker epki = value.Inside(value.Next(kSequence, "EncryptedPrivateKeyInfo"));
      const PbeAlgorithm alg = ReadPbeAlgorithm(
          epki, epki.Next(kSequence, "key encryption algorithm"), limits_.maxIterations);
      const Element encrypted = epki.Next(kOctetString, "encrypted private key");
      NoteScheme(alg.name);
      const auto plain = PbeDecrypt(alg, password_, epki.OctetsOf(encrypted));
      if (!plain)
        throw BundleError(
            BundleError::Kind::kWrongPassword, encrypted.offset,
            "cannot decrypt the private key (" + alg.name + "): the password is wrong");
      bag.der = *plain;
      bag.kind = Bag::Kind::kPrivateKey;
      bag.protection = alg.name;
    } else {
      return;  // CRL, secret and nested bags carry nothing IPsec uses
    }
    if (!b.AtEnd()) ReadAttributes(b, b.Next(kSet, "bag attributes"), bag);
    bundle_.bags.push_back(std::move(bag));
  }

  void ReadAttributes(BerWalker& b, const Element& set, Bag& bag) {
    BerWalker attrs = b.Inside(set);
    while (!attrs.AtEnd()) {
      BerWalker attr = attrs.Inside(attrs.Next(kSequence, "bag attribute"));
      const std::string oid = attr.OidOf(attr.Next(kOid, "attribute type"));
      BerWalker values = attr.Inside(attr.Next(kSet, "attribute values"));
      if (values.AtEnd()) continue;
      if (oid == kFriendlyName) {
        const Element name = values.Next(kBmpString, "friendlyName");
        bag.friendlyName = BmpToUtf8(values.OctetsOf(name));
        bag.hasFriendlyName = true;
      } else if (oid == kLocalKeyId) {
        bag.localKeyId = values.OctetsOf(values.Next(kOctetString, "localKeyId"));
      }
    }
  }

  void NoteScheme(const std::string& name) {
    if (std::find(bundle_.schemes.begin(), bundle_.schemes.end(), name) == bundle_.schemes.end())
      bundle_.schemes.push_back(name);
  }

  std::string password_;
  ReadBundleLimits limits_;
  Bundle bundle_;
};

}  // namespace

Bundle ReadBundle(const Bytes& file, const std::string& password, const ReadBundleLimits& limits) {
  try {
    return Reader(password, limits).Read(file);
  } catch (const FormatError& e) {
    const std::string what = e.what();
    const std::string message = what.substr(what.find(": ") + 2);
    throw BundleError(BundleError::Kind::kMalformed, e.Offset(), message);
  }
}

}  // namespace ipsecsim::pkcs12
