#include "preflight_documentation.h"

#include <string>

#include "mtu_budget.h"

namespace ipsecsim::harness {

namespace {

// /work/shared/reference/okd-ipsec-ovn-kubernetes.txt, word for word.
constexpr char kReduceMtu[] =
    "You have decreased the size of the cluster MTU by 46 bytes to allow for the additional "
    "overhead of the IPsec ESP header.";
constexpr char kUpdate[] = "You must disable IPsec before updating to OKD 4.15.";
constexpr char kDeleteDaemonSets[] =
    "After disabling IPsec, you must also delete the associated IPsec daemonsets.";
constexpr char kDisable[] =
    "As a cluster administrator, you can disable IPsec encryption only if you enabled IPsec "
    "after cluster installation.";

std::string Quote(const char* words) { return std::string("the documentation: \"") + words + "\""; }

std::string MtuConsequence(const Scenario& sc, const DocumentedLine& d) {
  ClusterSpec c = sc.cluster;
  c.ipsecMode = IpsecMode::kFull;
  c.clusterMtu = d.podMtu;
  c.hostMtu = d.machineMtu;
  const MtuBudget b =
      ComputeMtuBudget(c, !sc.underlay.nats.empty(),
                       sc.cluster.ipFamily == IpFamily::kIpv6 ? sim::mtu::UnderlayFamily::kIpv6
                                                              : sim::mtu::UnderlayFamily::kIpv4,
                       sc.underlay.pathMtu);
  const int reserved = d.machineMtu - d.podMtu;
  return "pod MTU " + std::to_string(d.podMtu) + " on a " + std::to_string(d.machineMtu) +
         " underlay reserves " + std::to_string(reserved) + " B, " +
         std::to_string(b.geneveBudget + b.ipsecBudget) + " budgeted (Geneve " +
         std::to_string(b.geneveBudget) + " + ESP " + std::to_string(b.ipsecBudget) +
         "), so the ESP budget is short by " +
         std::to_string(b.geneveBudget + b.ipsecBudget - reserved) +
         " B; exactly, a full-size pod packet is " + std::to_string(b.fullSizePodPacketOnWire) +
         " B as " + b.protection + ", headroom " + std::to_string(b.headroom) + " B" +
         (b.headroom >= 0                          ? " (it still fits)"
          : sc.cluster.ipFamily == IpFamily::kIpv6 ? " (the sending host fragments it)"
                                                   : " (fragments or DF drops)");
}

}  // namespace

std::vector<PreflightFinding> DocumentationFindings(const Scenario& sc) {
  std::vector<PreflightFinding> out;
  if (!sc.lifecycle) return out;
  for (const DocumentedLine& d : sc.lifecycle->documented) {
    PreflightFinding f;
    f.id = "D" + std::to_string(out.size() + 1);
    f.from = f.to = "*";
    f.traffic = "procedure";
    f.status = "warning";
    f.cause = "line " + std::to_string(d.line) + ": " + d.step;
    f.affectsIpsec = true;
    switch (d.rule) {
      case DocumentedLine::Rule::kEnableUnreducedMtu:
        f.consequence = MtuConsequence(sc, d);
        f.text = f.cause + " without the 46-byte MTU reduction: " + f.consequence + "; " +
                 Quote(kReduceMtu);
        break;
      case DocumentedLine::Rule::kUpdateWithIpsec:
        f.consequence = "IPsec is on during the update";
        f.text = f.cause + " with IPsec on; " + Quote(kUpdate);
        break;
      case DocumentedLine::Rule::kUpdateKeepsDaemonSets: {
        std::string names;
        for (const std::string& n : d.daemonSets) names += (names.empty() ? "" : ", ") + n;
        f.consequence = "IPsec DaemonSets left: " + names;
        f.text = f.cause + " without deleting the IPsec DaemonSets (" + names + "); " +
                 Quote(kDeleteDaemonSets);
        break;
      }
      case DocumentedLine::Rule::kDisableInstalled:
        f.consequence = "IPsec was enabled at install";
        f.text = f.cause + ", which was on at install; " + Quote(kDisable);
        break;
    }
    out.push_back(f);
  }
  return out;
}

}  // namespace ipsecsim::harness
