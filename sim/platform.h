// The cloud platform a cluster runs on and what it means for IPsec, and
// the one rule that decides how the nodes' Geneve is protected in IPsec
// Full: ESP, or ESP in UDP 4500 (RFC 3948).
//
// ibmcloud: the underlay does not forward IP protocol 50 ("IPsec on IBM
// Cloud supports only NAT-T. Using ESP is not supported.", the product
// documentation, docs/natt.md), so encapsulation is forced there whatever
// ipsecConfig.full says (the operator's options:ipsec_encapsulation, and
// encapsulation=yes on every connection). Every other platform forwards ESP.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "mtu_arithmetic.h"

namespace ipsecsim::sim {

enum class Platform { kBaremetal, kAws, kGcp, kAzure, kIbmcloud };

// ipsecConfig.full.encapsulation
enum class Encapsulation { kAuto, kAlways };

struct PlatformProfile {
  Platform platform;
  const char* name;  // as the scenario and the report write it
  bool dropsEsp;     // the underlay drops IP protocol 50
};

// Every platform, in the order the scenario reference lists them.
const std::vector<PlatformProfile>& PlatformProfiles();
const PlatformProfile& ProfileOf(Platform platform);
const char* PlatformName(Platform platform);
std::optional<Platform> PlatformNamed(std::string_view name);

// Libreswan encapsulation=yes on every connection: asked for (Always), or
// rendered by the operator because the platform drops ESP.
bool ForcesEncapsulation(Platform platform, Encapsulation encapsulation);

// How IPsec Full protects a pair's Geneve: ESP in UDP 4500 when
// encapsulation is forced or IKE detects a NAT between the two nodes, ESP
// otherwise.
mtu::Protection ProtectionFor(Platform platform, Encapsulation encapsulation,
                              bool natBetweenNodes = false);

}  // namespace ipsecsim::sim
