#include "mtu_budget.h"

#include <string>

#include "mtu_arithmetic.h"

namespace ipsecsim::harness {

namespace mtu = sim::mtu;

namespace {

mtu::Protection ProtectionOf(const ClusterSpec& c, bool natBetweenNodes) {
  if (c.ipsecMode != IpsecMode::kFull) return mtu::Protection::kNone;
  return sim::ProtectionFor(c.platform, c.encapsulation, natBetweenNodes);
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

// IPv6 has no DF bit: the sending host fragments whatever does not fit.
std::string TooFew(mtu::UnderlayFamily family) {
  return family == mtu::UnderlayFamily::kIpv6 ? " (too few: the sending host fragments)"
                                              : " (too few: fragments or DF drops)";
}

}  // namespace

MtuBudget ComputeMtuBudget(const ClusterSpec& c, bool natBetweenNodes, mtu::UnderlayFamily family,
                           int pathMtu) {
  // What the packets must fit: the hosts' links, or a smaller routed core.
  const int underlay = pathMtu > 0 ? pathMtu : c.hostMtu;
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
  b.largestPodPacketThatFits = int(mtu::LargestInnerIpLength(uint32_t(underlay), p, family));
  b.headroom = underlay - b.fullSizePodPacketOnWire;
  const int reserved = c.hostMtu - c.clusterMtu;
  const int needed = c.hostMtu - b.largestPodPacketThatFits;
  b.note = "pod " + std::to_string(c.clusterMtu) + " -> " +
           std::to_string(b.fullSizePodPacketOnWire) + " B on a " + std::to_string(c.hostMtu) +
           " underlay" + (pathMtu > 0 ? " (path " + std::to_string(pathMtu) + ")" : "") +
           "; needs " + std::to_string(needed) + " B reserved, " + std::to_string(reserved) +
           " are" + (b.headroom >= 0 ? "" : TooFew(family));
  return b;
}

}  // namespace ipsecsim::harness
