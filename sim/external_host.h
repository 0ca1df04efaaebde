// An IPsec endpoint outside the cluster: a Linux host whose NIC is cabled to
// a port of the underlay switch, with its address on that NIC (eth0) and
// routes to the machine network on-link. Assumption (no source describes the
// customer's network): the external host and the nodes reach each other on
// the same routed fabric without a NAT, as hosts in one data centre would.
#pragma once

#include <ns3/csma-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <ns3/virtual-net-device-module.h>

#include <string>

#include "linux_ip_output.h"

namespace ipsecsim::sim {

class ClusterDirectory;

class ExternalHost {
 public:
  ExternalHost(std::string name, ns3::Ipv4Address address, ns3::Ptr<ns3::Node> node,
               ns3::Ptr<ns3::NetDevice> nic, ns3::Ptr<ns3::NetDevice> switchPort);
  // Builds eth0 (MTU `mtu`) and the routes to `machineNetwork`; frames to
  // the nodes go to the MAC `directory` names.
  void Setup(const ClusterDirectory& directory, int mtu, ns3::Ipv4Address machineNetwork,
             ns3::Ipv4Mask machineMask, bool checksums);

  const std::string& Name() const { return name_; }
  ns3::Ipv4Address Ip() const { return address_; }
  ns3::Ptr<ns3::Node> Node() const { return node_; }
  ns3::Ptr<ns3::NetDevice> Nic() const { return nic_; }
  ns3::Ptr<ns3::NetDevice> SwitchPort() const { return switchPort_; }
  uint64_t NoRoute() const { return noRoute_; }

 private:
  bool FromStack(ns3::Ptr<ns3::Packet> packet, const ns3::Address&, const ns3::Address&,
                 uint16_t protocol);
  void FromNic(ns3::Ptr<ns3::NetDevice>, ns3::Ptr<const ns3::Packet> packet, uint16_t protocol,
               const ns3::Address& from, const ns3::Address& to, ns3::NetDevice::PacketType);

  std::string name_;
  ns3::Ipv4Address address_;
  ns3::Ptr<ns3::Node> node_;
  ns3::Ptr<ns3::NetDevice> nic_;
  ns3::Ptr<ns3::NetDevice> switchPort_;
  ns3::Ptr<ns3::VirtualNetDevice> eth0_;
  ns3::Ptr<LinuxIpv4Output> output_;
  const ClusterDirectory* directory_ = nullptr;
  uint64_t noRoute_ = 0;
};

}  // namespace ipsecsim::sim
