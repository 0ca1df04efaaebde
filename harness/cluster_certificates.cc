#include "cluster_certificates.h"

#include <cryptopp/sha.h>

#include <cstdio>

namespace ipsecsim::harness {

namespace {
pki::SignerConfig SignerFor(uint64_t seed) {
  pki::SignerConfig config;
  config.seed = seed;
  return config;
}
}  // namespace

ClusterCertificates::ClusterCertificates(uint64_t seed) : signer(SignerFor(seed), &log) {}

std::string SystemIdFor(uint64_t seed, const std::string& nodeName) {
  const std::string text = "ipsecsim system-id|" + std::to_string(seed) + "|" + nodeName;
  uint8_t d[CryptoPP::SHA256::DIGESTSIZE];
  CryptoPP::SHA256().CalculateDigest(d, reinterpret_cast<const uint8_t*>(text.data()), text.size());
  d[6] = uint8_t((d[6] & 0x0F) | 0x40);  // version 4 layout, as OVS generates them
  d[8] = uint8_t((d[8] & 0x3F) | 0x80);
  char uuid[37];
  std::snprintf(uuid, sizeof uuid,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0], d[1],
                d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14],
                d[15]);
  return uuid;
}

void IssueClusterCertificates(const std::vector<std::string>& nodeNames, uint64_t seed,
                              ClusterCertificates* out) {
  out->signer.CreateCa(kInstallEpoch);
  for (const std::string& name : nodeNames) {
    out->nodes.emplace_back(name, SystemIdFor(seed, name), seed);
    pki::StartIpsecPod(out->nodes.back(), out->signer, kInstallEpoch, &out->log);
  }
}

}  // namespace ipsecsim::harness
