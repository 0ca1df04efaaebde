#include "nss_store.h"

#include <cryptopp/filters.h>

namespace ipsecsim::external {

const NssCertificate* NssStore::ByNickname(const std::string& nickname) const {
  for (const NssCertificate& e : entries_)
    if (e.nickname == nickname) return &e;
  return nullptr;
}

std::vector<pki::Certificate> NssStore::TrustAnchors() const {
  std::vector<pki::Certificate> anchors;
  for (const NssCertificate& e : entries_)
    if (e.trusted) anchors.push_back(e.certificate);
  return anchors;
}

std::optional<CryptoPP::RSA::PrivateKey> KeyFor(const Bytes& pkcs8,
                                                const pki::Certificate& certificate) {
  CryptoPP::RSA::PrivateKey key;
  try {
    CryptoPP::StringSource source(pkcs8.data(), pkcs8.size(), true);
    key.Load(source);
  } catch (const CryptoPP::Exception&) {
    return std::nullopt;
  }
  if (key.GetModulus() != certificate.publicKey.GetModulus() ||
      key.GetPublicExponent() != certificate.publicKey.GetPublicExponent())
    return std::nullopt;
  return key;
}

}  // namespace ipsecsim::external
