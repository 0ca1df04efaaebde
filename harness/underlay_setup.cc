#include "underlay_setup.h"

#include <ns3/core-module.h>
#include <ns3/csma-module.h>

#include <map>
#include <sstream>

#include "napt_splice.h"
#include "platform_profile.h"
#include "underlay_rules.h"

namespace ipsecsim::harness {

using namespace ns3;

namespace {

// The node's end and the far end of its uplink: the switch port, or the
// NAT's inside device when a NAT stands in front of the node.
struct Uplink {
  Ptr<NetDevice> nodeSide;
  Ptr<NetDevice> farSide;
};

Ptr<natt::LinkFirewall> MakeFirewall(const FirewallSpec& spec, const std::string& node) {
  const std::string link =
      node + "/eth0 (firewall " + spec.name + ", " + ToString(spec.direction) + ")";
  auto firewall = CreateObject<natt::LinkFirewall>(
      link, spec.defaultAllow ? natt::Action::kAllow : natt::Action::kDeny);
  for (const FirewallRuleSpec& rule : spec.rules) firewall->AddRule(ToFirewallRule(rule));
  return firewall;
}

void Filter(Ptr<natt::LinkFirewall> firewall, FirewallDirection direction, const Uplink& uplink) {
  // Inbound: what the node's NIC receives; outbound: what the far end receives.
  if (direction != FirewallDirection::kOutbound) natt::FilterReceivedBy(firewall, uplink.nodeSide);
  if (direction != FirewallDirection::kInbound) natt::FilterReceivedBy(firewall, uplink.farSide);
}

std::string PublicAddressText(Ptr<natt::NaptBox> box) {
  std::ostringstream out;
  box->PublicAddress().Print(out);
  return out.str();
}

}  // namespace

Ipv4Address NatPublicAddress(const sim::NetworkPlan& plan, size_t n) {
  return Ipv4Address(plan.NatPublicAddress(uint32_t(n)));
}

UnderlayInstallation InstallUnderlay(const Scenario& sc, sim::ClusterWorld& world) {
  UnderlayInstallation out;
  std::vector<natt::UnderlayLink> links;
  std::map<std::string, uint32_t> index;
  std::vector<Uplink> uplinks;
  for (uint32_t i = 0; i < world.NodeCount(); ++i) {
    links.push_back({world.NodeName(i) + "/eth0", world.Nic(i), world.SwitchPort(i)});
    index[world.NodeName(i)] = i;
    uplinks.push_back({world.Nic(i), world.SwitchPort(i)});
  }
  // A firewall may stand in front of an external host too (its own link).
  for (uint32_t i = 0; i < world.ExternalCount(); ++i) {
    const sim::ExternalHost& host = world.External(i);
    index[host.Name()] = uint32_t(uplinks.size());
    uplinks.push_back({host.Nic(), host.SwitchPort()});
  }
  if (sim::ProfileOf(sc.cluster.platform).dropsEsp) out.firewalls = natt::ApplyEspFilter(links);
  for (size_t n = 0; n < sc.underlay.nats.size(); ++n) {
    const NatSpec& nat = sc.underlay.nats[n];
    for (const std::string& node : nat.nodes) {
      const uint32_t i = index.at(node);
      auto box = CreateObject<natt::NaptBox>();
      box->SetAttribute("UdpIdleTimeout", TimeValue(Seconds(nat.udpTimeoutSeconds)));
      const Ipv4Address publicAddress = NatPublicAddress(sc.cluster.network, n);
      natt::NaptPlacement placement =
          natt::SpliceNapt(DynamicCast<CsmaNetDevice>(world.Nic(i)), publicAddress, box);
      world.ReachVia(i, publicAddress,
                     Mac48Address::ConvertFrom(placement.natOutside->GetAddress()));
      uplinks[i].farSide = placement.natInside;
      out.nats.push_back({nat.name, node, box});
    }
  }
  for (const FirewallSpec& spec : sc.underlay.firewalls) {
    for (const std::string& node : spec.nodes) {
      Ptr<natt::LinkFirewall> firewall = MakeFirewall(spec, node);
      Filter(firewall, spec.direction, uplinks[index.at(node)]);
      out.firewalls.push_back(firewall);
    }
  }
  if (sc.underlay.pathMtu > 0) {
    natt::PathMtuHopConfig hop;
    hop.mtu = uint32_t(sc.underlay.pathMtu);
    hop.address = sim::AddressPlan::CoreRouter6();
    for (uint32_t i = 0; i < world.NodeCount(); ++i) {
      out.pathMtuHops.push_back(natt::InstallPathMtuHop(world.SwitchPort(i), hop));
    }
  }
  return out;
}

std::vector<std::string> UnderlayInstallation::Report() const {
  std::vector<std::string> lines;
  for (const auto& firewall : firewalls) {
    for (const std::string& line : firewall->Report()) {
      if (line.find("deny") != std::string::npos) lines.push_back(line);
    }
  }
  for (const InstalledNat& nat : nats) {
    // NaptBox lines read "nat <public address>: <counter> <n>".
    const std::string prefix =
        nat.name + " (public " + PublicAddressText(nat.box) + ", in front of " + nat.node + "): ";
    for (const std::string& line : nat.box->Report()) {
      const size_t colon = line.find(": ");
      lines.push_back(prefix + (colon == std::string::npos ? line : line.substr(colon + 2)));
    }
  }
  if (!pathMtuHops.empty()) {
    natt::PathMtuHopCounters total;
    for (const auto& hop : pathMtuHops) total += hop->Counters();
    std::ostringstream line;
    line << natt::PathMtuHopReport(pathMtuHops.front()->Config().mtu, total) << " (from "
         << sim::AddressPlan::CoreRouter6() << ")";
    lines.push_back(line.str());
  }
  return lines;
}

}  // namespace ipsecsim::harness
