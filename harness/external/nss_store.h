// A host's NSS database as pluto reads it: the certificates the import
// commands put in, by nickname, with the private keys that came with them
// and whether certutil -A gave them trust.
#pragma once

#include <cryptopp/rsa.h>

#include <optional>
#include <string>
#include <vector>

#include "certificate.h"

namespace ipsecsim::external {

struct NssCertificate {
  std::string nickname;
  pki::Certificate certificate;
  std::optional<CryptoPP::RSA::PrivateKey> key;
  // Added with certutil -A. Assumption: the trust flags -t give are not
  // modelled; every certificate added so is a trust anchor, as the
  // documented "CT,C,C" makes the CA.
  bool trusted = false;
};

class NssStore {
 public:
  void Add(NssCertificate entry) { entries_.push_back(std::move(entry)); }
  const NssCertificate* ByNickname(const std::string& nickname) const;
  std::vector<pki::Certificate> TrustAnchors() const;
  const std::vector<NssCertificate>& Entries() const { return entries_; }

 private:
  std::vector<NssCertificate> entries_;
};

// The RSA key of a PKCS#8 PrivateKeyInfo, when it is one and belongs to `certificate`.
std::optional<CryptoPP::RSA::PrivateKey> KeyFor(const Bytes& pkcs8,
                                                const pki::Certificate& certificate);

}  // namespace ipsecsim::external
