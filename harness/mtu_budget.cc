#include "mtu_budget.h"

#include "mtu_arithmetic.h"

namespace ipsecsim::harness {

namespace mtu = sim::mtu;

namespace {

mtu::Protection ProtectionOf(const ClusterSpec& c, bool natBetweenNodes) {
  if (c.ipsecMode != IpsecMode::kFull) return mtu::Protection::kNone;
  const bool udp =
      c.platform == "ibmcloud" || c.encapsulation == Encapsulation::kAlways || natBetweenNodes;
  return udp ? mtu::Protection::kEspInUdp : mtu::Protection::kEsp;
}

const char* Name(mtu::Protection p) {
  switch (p) {
    case mtu::Protection::kEsp:
      return "esp";
    case mtu::Protection::kEspInUdp:
      return "esp-in-udp";
    case mtu::Protection::kNone:
      break;
  }
  return "none";
}

}  // namespace

MtuBudget ComputeMtuBudget(const ClusterSpec& c, bool natBetweenNodes, mtu::UnderlayFamily family) {
  const mtu::Protection p = ProtectionOf(c, natBetweenNodes);
  MtuBudget b;
  b.protection = Name(p);
  b.geneveBytes = int(mtu::GeneveOverhead(family));
  b.geneveBudget = int(mtu::kGeneveBudget);
  if (p != mtu::Protection::kNone) {
    const int natt = p == mtu::Protection::kEspInUdp ? int(mtu::kNattHeader) : 0;
    b.ipsecBytesMin = int(mtu::kEspFixed) + natt;
    b.ipsecBytesMax = int(mtu::kEspFixed) + 3 + natt;
    b.ipsecBudget = int(mtu::kIpsecBudget);
  }
  b.fullSizePodPacketOnWire = int(mtu::OuterIpLength(uint32_t(c.clusterMtu), p, family));
  b.largestPodPacketThatFits = int(mtu::LargestInnerIpLength(uint32_t(c.hostMtu), p, family));
  b.headroom = c.hostMtu - b.fullSizePodPacketOnWire;
  const int reserved = c.hostMtu - c.clusterMtu;
  const int needed = c.hostMtu - b.largestPodPacketThatFits;
  b.note = "pod " + std::to_string(c.clusterMtu) + " -> " +
           std::to_string(b.fullSizePodPacketOnWire) + " B on a " + std::to_string(c.hostMtu) +
           " underlay; needs " + std::to_string(needed) + " B reserved, " +
           std::to_string(reserved) + " are" +
           (b.headroom >= 0 ? "" : " (too few: fragments or DF drops)");
  return b;
}

}  // namespace ipsecsim::harness
