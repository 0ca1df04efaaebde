#include "rendered_config.h"

#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include <cryptopp/md5.h>

#include <cstdio>

namespace ipsecsim::sim {

namespace {
// MCO pkg/controller/render/hash.go: "salt is 80 random bytes ... Do not
// change it", hashed before the config.
const unsigned char kSalt[80] = {
    16,  124, 206, 228, 139, 56,  175, 175, 79,  229, 134, 118, 157, 154, 211, 110,
    25,  93,  47,  253, 172, 106, 37,  7,   174, 13,  160, 185, 110, 17,  87,  52,
    219, 131, 12,  206, 218, 141, 116, 135, 188, 181, 192, 151, 233, 62,  126, 165,
    64,  83,  179, 119, 15,  168, 208, 197, 146, 107, 58,  227, 133, 188, 238, 26,
    33,  26,  235, 202, 32,  173, 31,  234, 41,  144, 148, 79,  6,   206, 23,  22,
};
}  // namespace

// getMachineConfigHashedName: "rendered-%s-%x" of md5(salt + the spec's
// YAML). The content here is ipsecsim's summary of the spec, not its YAML.
std::string RenderedConfigName(const std::string& pool, const std::string& content) {
  CryptoPP::Weak::MD5 md5;
  md5.Update(kSalt, sizeof kSalt);
  md5.Update(reinterpret_cast<const CryptoPP::byte*>(content.data()), content.size());
  CryptoPP::byte digest[CryptoPP::Weak::MD5::DIGESTSIZE];
  md5.Final(digest);
  std::string name = "rendered-" + pool + "-";
  for (CryptoPP::byte b : digest) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", b);
    name += hex;
  }
  return name;
}

}  // namespace ipsecsim::sim
