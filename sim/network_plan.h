// The cluster's networks as install-config names them (networking.
// clusterNetwork[0].cidr and .hostPrefix, networking.machineNetwork[0].cidr)
// and the arithmetic OVN-Kubernetes and ipsecsim derive from them: how many
// node subnets the cluster network holds, how many pods a node subnet holds,
// how many node IPs fit in the machine network. No ns-3 here, so that the
// scenario loader can check a cluster against it (docs/scenario-reference.md,
// cluster.network; the sources are cited there).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ipsecsim::sim {

struct Ipv4Cidr {
  uint32_t address = 0;  // host order, no host bits set
  int prefix = 0;        // 0..32

  uint64_t Size() const { return uint64_t(1) << (32 - prefix); }
  uint32_t Mask() const { return prefix == 0 ? 0 : ~uint32_t(0) << (32 - prefix); }
  bool Contains(uint32_t a) const { return (a & Mask()) == address; }
  // The installer's DoCIDRsOverlap: one contains the other's first address.
  bool Overlaps(const Ipv4Cidr& o) const { return Contains(o.address) || o.Contains(address); }
  std::string ToString() const;
};

std::string Ipv4Text(uint32_t address);

// "a.b.c.d/n" with decimal octets 0..255 and n 0..32. On failure, nullopt and
// `why` says what is wrong. An address with host bits set is refused with
// the installer's words ("invalid network address. got ..., expecting ...").
std::optional<Ipv4Cidr> ParseIpv4Cidr(const std::string& text, std::string* why);

// The smallest hostPrefix the installer and OVN-Kubernetes accept is the
// cluster network's own prefix (one node subnet); ipsecsim also needs room
// in a node subnet for the network address, .1, .2, one pod and the
// broadcast address: 2^(32 - hostPrefix) - 4 >= 1.
inline constexpr int kMaxHostPrefix = 29;

struct NetworkPlan {
  Ipv4Cidr clusterNetwork{0x0A800000u, 14};  // 10.128.0.0/14, the installer's default
  int hostPrefix = 23;                       // the installer's default
  Ipv4Cidr machineNetwork{0x0A000000u, 16};  // 10.0.0.0/16, the installer's default

  // Node subnets in the cluster network: 2^(hostPrefix - cluster prefix).
  uint64_t NodeSubnets() const { return uint64_t(1) << (hostPrefix - clusterNetwork.prefix); }
  // Pod addresses in a node subnet: all but the network address, .1 (the
  // OVN router port), .2 (the management port) and the broadcast address.
  uint64_t PodsPerNode() const { return (uint64_t(1) << (32 - hostPrefix)) - 4; }
  // Node i's IP is the machine network + 10 + i (ipsecsim's choice).
  static constexpr uint32_t kFirstNodeHost = 10;
  // Node IPs that fit below the machine network's broadcast address, and
  // below the NATs' public addresses when there are NATs.
  uint64_t NodeIps(bool withNats) const;
  // The n-th NAT's public address (n from 0): the second-last /23 of the
  // machine network + 1 + n, 10.0.254.(n+1) in 10.0.0.0/16; ipsecsim's
  // choice. Only for a machine network of /23 or larger.
  uint64_t NatOffset() const { return machineNetwork.Size() - 512; }
  uint32_t NatPublicAddress(uint32_t n) const {
    return machineNetwork.address + uint32_t(NatOffset()) + 1 + n;
  }
  uint64_t NatAddresses() const { return machineNetwork.prefix <= 23 ? 510 : 0; }
  static uint32_t PrefixMask(int prefix) { return Ipv4Cidr{0, prefix}.Mask(); }
};

// The longest cluster-network prefix whose node subnets at `hostPrefix` hold
// `nodes` nodes, or -1 when no IPv4 network does.
int ClusterPrefixFor(uint64_t nodes, int hostPrefix);

}  // namespace ipsecsim::sim
