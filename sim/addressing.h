// The cluster's address plan, computed from the scenario's networks
// (cluster.network, network_plan.h): node IPs on the machine network, one
// node subnet of the cluster network per node (a /hostPrefix, node i's is
// the i-th), and in it the OVN router port (.1), the management port
// ovn-k8s-mp0 (.2) and the pods (.3 onwards). With an IPv6 underlay each
// node also has an IPv6 node IP on fd00:10::/64, at the same host number as
// its IPv4 one (fd00:10::a for 10.0.0.10).
#pragma once

#include <ns3/ipv4-address.h>
#include <ns3/ipv6-address.h>
#include <ns3/mac48-address.h>

#include <cstdint>

#include "network_plan.h"

namespace ipsecsim::sim {

struct AddressPlan {
  AddressPlan() : AddressPlan(NetworkPlan{}) {}
  explicit AddressPlan(const NetworkPlan& plan)
      : machineNetwork(plan.machineNetwork.address),
        machineMask(plan.machineNetwork.Mask()),
        clusterNetwork(plan.clusterNetwork.address),
        clusterMask(plan.clusterNetwork.Mask()),
        nodeSubnetMask(NetworkPlan::PrefixMask(plan.hostPrefix)),
        hostBits(uint32_t(32 - plan.hostPrefix)) {}

  ns3::Ipv4Address machineNetwork;
  ns3::Ipv4Mask machineMask;
  ns3::Ipv4Address clusterNetwork;
  ns3::Ipv4Mask clusterMask;
  ns3::Ipv4Mask nodeSubnetMask;  // /hostPrefix
  uint32_t hostBits;             // 32 - hostPrefix

  ns3::Ipv4Address NodeIp(uint32_t nodeIndex) const {
    return ns3::Ipv4Address(machineNetwork.Get() + 10 + nodeIndex);
  }
  static constexpr uint8_t kMachinePrefix6Length = 64;
  static ns3::Ipv6Address MachineNetwork6() { return ns3::Ipv6Address("fd00:10::"); }
  // The machine network's router (underlay.path_mtu's hop answers from it).
  static ns3::Ipv6Address CoreRouter6() { return ns3::Ipv6Address("fd00:10::1"); }
  ns3::Ipv6Address NodeIp6(uint32_t nodeIndex) const {
    uint8_t b[16];
    MachineNetwork6().GetBytes(b);
    const uint32_t host = 10 + nodeIndex;
    b[14] = uint8_t(host >> 8);
    b[15] = uint8_t(host);
    return ns3::Ipv6Address(b);
  }
  // Which node an IPv6 node IP belongs to, or false.
  bool NodeOfIp6(ns3::Ipv6Address ip, uint32_t nodeCount, uint32_t* node) const {
    for (uint32_t i = 0; i < nodeCount; ++i) {
      if (NodeIp6(i) != ip) continue;
      *node = i;
      return true;
    }
    return false;
  }
  ns3::Ipv4Address NodeSubnet(uint32_t nodeIndex) const {
    return ns3::Ipv4Address(clusterNetwork.Get() + (nodeIndex << hostBits));
  }
  ns3::Ipv4Address RouterPortIp(uint32_t nodeIndex) const {
    return ns3::Ipv4Address(NodeSubnet(nodeIndex).Get() + 1);
  }
  ns3::Ipv4Address ManagementPortIp(uint32_t nodeIndex) const {
    return ns3::Ipv4Address(NodeSubnet(nodeIndex).Get() + 2);
  }
  ns3::Ipv4Address PodIp(uint32_t nodeIndex, uint32_t podIndex) const {
    return ns3::Ipv4Address(NodeSubnet(nodeIndex).Get() + 3 + podIndex);
  }
  bool InClusterNetwork(ns3::Ipv4Address a) const { return clusterMask.IsMatch(a, clusterNetwork); }
  // Which node's subnet an address of the cluster network belongs to.
  uint32_t NodeOfPodIp(ns3::Ipv4Address a) const {
    return (a.Get() - clusterNetwork.Get()) >> hostBits;
  }
  // An address's offset in its node subnet (.1 is 1).
  uint32_t HostOffset(ns3::Ipv4Address a) const { return a.Get() & ~nodeSubnetMask.Get(); }
};

// OVN-Kubernetes derives a pod's MAC from its IP: 0a:58:<IPv4 bytes>.
inline ns3::Mac48Address OvnMac(ns3::Ipv4Address ip) {
  uint8_t b[6] = {0x0a, 0x58};
  ip.Serialize(b + 2);
  ns3::Mac48Address mac;
  mac.CopyFrom(b);
  return mac;
}

}  // namespace ipsecsim::sim
