#include "platform.h"

namespace ipsecsim::sim {

const std::vector<PlatformProfile>& PlatformProfiles() {
  static const std::vector<PlatformProfile> profiles = {
      {Platform::kBaremetal, "baremetal", false},
      {Platform::kAws, "aws", false},
      {Platform::kGcp, "gcp", false},
      {Platform::kAzure, "azure", false},
      {Platform::kIbmcloud, "ibmcloud", true},
  };
  return profiles;
}

const PlatformProfile& ProfileOf(Platform platform) {
  for (const PlatformProfile& p : PlatformProfiles())
    if (p.platform == platform) return p;
  return PlatformProfiles().front();  // unreachable: the table has every enumerator
}

const char* PlatformName(Platform platform) { return ProfileOf(platform).name; }

std::optional<Platform> PlatformNamed(std::string_view name) {
  for (const PlatformProfile& p : PlatformProfiles())
    if (name == p.name) return p.platform;
  return std::nullopt;
}

bool ForcesEncapsulation(Platform platform, Encapsulation encapsulation) {
  return encapsulation == Encapsulation::kAlways || ProfileOf(platform).dropsEsp;
}

mtu::Protection ProtectionFor(Platform platform, Encapsulation encapsulation,
                              bool natBetweenNodes) {
  return ForcesEncapsulation(platform, encapsulation) || natBetweenNodes
             ? mtu::Protection::kEspInUdp
             : mtu::Protection::kEsp;
}

}  // namespace ipsecsim::sim
