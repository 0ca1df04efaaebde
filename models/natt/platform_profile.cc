#include "platform_profile.h"

#include "ns3/object.h"

namespace ipsecsim::natt {

ns3::Ptr<LinkFirewall> MakeEspFilter(std::string linkName) {
  auto firewall = ns3::CreateObject<LinkFirewall>(std::move(linkName), Action::kAllow);
  firewall->AddRule(FirewallRule::Deny().Protocol(kProtoEsp));
  return firewall;
}

std::vector<ns3::Ptr<LinkFirewall>> ApplyEspFilter(const std::vector<UnderlayLink>& links) {
  std::vector<ns3::Ptr<LinkFirewall>> firewalls;
  for (const UnderlayLink& link : links) {
    ns3::Ptr<LinkFirewall> firewall = MakeEspFilter(link.name);
    InstallOnLink(firewall, link.nodeSide, link.switchSide);
    firewalls.push_back(firewall);
  }
  return firewalls;
}

}  // namespace ipsecsim::natt
