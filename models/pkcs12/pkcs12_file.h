// PKCS#12 files (RFC 7292) as openssl and NSS's pk12util write them: the
// MAC over the authenticated safe is checked first, then each ContentInfo
// (plain `data` or password-encrypted `encryptedData`) is opened and its
// bags read: certBag (X.509), keyBag and pkcs8ShroudedKeyBag, with their
// friendlyName and localKeyId attributes.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "bytes.h"

namespace ipsecsim::pkcs12 {

struct Bag {
  enum class Kind { kCertificate, kPrivateKey };
  Kind kind = Kind::kCertificate;
  size_t offset = 0;  // where the bag starts in the file, or in its decrypted ContentInfo
  bool inEncryptedContent = false;
  bool hasFriendlyName = false;
  std::string friendlyName;  // UTF-8
  Bytes localKeyId;
  Bytes der;               // the X.509 certificate, or the PKCS#8 PrivateKeyInfo
  std::string protection;  // how the bag's content was encrypted, or "none"
};

struct Bundle {
  std::vector<Bag> bags;
  bool hasMac = false;
  std::string macDigest;  // "SHA1", "SHA256", ...
  uint64_t macIterations = 0;
  std::vector<std::string> schemes;  // encryption schemes used, in file order
};

class BundleError : public std::runtime_error {
 public:
  enum class Kind { kMalformed, kWrongPassword, kUnsupported };
  BundleError(Kind kind, size_t offset, const std::string& message)
      : std::runtime_error("byte " + std::to_string(offset) + ": " + message),
        kind_(kind),
        offset_(offset) {}
  Kind GetKind() const { return kind_; }
  size_t Offset() const { return offset_; }

 private:
  Kind kind_;
  size_t offset_;
};

struct ReadBundleLimits {
  size_t maxBytes = 1 << 20;
  size_t maxBags = 64;
  uint64_t maxIterations = 10'000'000;  // per KDF; pk12util -o writes 600000
};

// Throws BundleError with the byte offset of the element at fault.
Bundle ReadBundle(const Bytes& file, const std::string& password,
                  const ReadBundleLimits& limits = {});

}  // namespace ipsecsim::pkcs12
