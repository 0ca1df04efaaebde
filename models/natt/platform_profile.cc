#include "platform_profile.h"

#include "ns3/object.h"

namespace ipsecsim::natt {

bool PlatformDropsEsp(std::string_view platform) { return platform == "ibmcloud"; }

ns3::Ptr<LinkFirewall> MakePlatformFirewall(std::string_view platform, std::string linkName) {
  if (!PlatformDropsEsp(platform)) return nullptr;
  auto firewall = ns3::CreateObject<LinkFirewall>(std::move(linkName), Action::kAllow);
  firewall->AddRule(FirewallRule::Deny().Protocol(kProtoEsp));
  return firewall;
}

std::vector<ns3::Ptr<LinkFirewall>> ApplyPlatformProfile(std::string_view platform,
                                                         const std::vector<UnderlayLink>& links) {
  std::vector<ns3::Ptr<LinkFirewall>> firewalls;
  for (const UnderlayLink& link : links) {
    ns3::Ptr<LinkFirewall> firewall = MakePlatformFirewall(platform, link.name);
    if (!firewall) continue;
    InstallOnLink(firewall, link.nodeSide, link.switchSide);
    firewalls.push_back(firewall);
  }
  return firewalls;
}

}  // namespace ipsecsim::natt
