// The cluster's address plan: node IPs on the machine network, a /23 of the
// cluster network per node, and in it the OVN router port (.1), the
// management port ovn-k8s-mp0 (.2) and the pods (.3 onwards).
#pragma once

#include <ns3/ipv4-address.h>
#include <ns3/mac48-address.h>

#include <cstdint>

namespace ipsecsim::sim {

struct AddressPlan {
  ns3::Ipv4Address machineNetwork{"10.0.0.0"};
  ns3::Ipv4Mask machineMask{"255.255.0.0"};
  ns3::Ipv4Address clusterNetwork{"10.128.0.0"};
  ns3::Ipv4Mask clusterMask{"255.252.0.0"};       // 10.128.0.0/14
  ns3::Ipv4Mask nodeSubnetMask{"255.255.254.0"};  // hostPrefix 23

  ns3::Ipv4Address NodeIp(uint32_t nodeIndex) const {
    return ns3::Ipv4Address(machineNetwork.Get() + 10 + nodeIndex);
  }
  ns3::Ipv4Address NodeSubnet(uint32_t nodeIndex) const {
    return ns3::Ipv4Address(clusterNetwork.Get() + (nodeIndex << 9));
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
  // Which node's /23 an address of the cluster network belongs to.
  uint32_t NodeOfPodIp(ns3::Ipv4Address a) const { return (a.Get() - clusterNetwork.Get()) >> 9; }
  static constexpr uint32_t kMaxNodes = 512;  // /14 split into /23s
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
