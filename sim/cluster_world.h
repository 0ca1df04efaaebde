// The cluster world on ns-3: nodes whose NICs are each cabled to a port of
// one underlay switch (underlay_switch.h), each node with its OVN data path
// (ovn_node.h); cluster-network pods with their own IP stacks; host-network
// pods on their node's stack.
#pragma once

#include <ns3/core-module.h>
#include <ns3/csma-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "addressing.h"
#include "external_host.h"
#include "ovn_node.h"
#include "underlay_switch.h"

namespace ipsecsim::sim {

struct WorldConfig {
  std::vector<std::string> nodeNames;  // <pool>-<index>, in order
  int hostMtu = 1500;
  int clusterMtu = 1400;
  std::string linkRate = "10Gbps";
  double linkDelaySeconds = 50e-6;
  TunnelDfPolicy tunnelDf = TunnelDfPolicy::kSet;
  // Probability that a node's uplink loses a frame (lost where the switch
  // port receives it, so each underlay packet is exposed once). Each link's
  // loss draws from its own ns-3 RNG stream: the same seed, the same losses.
  double linkLoss = 0;
  UnderlayFamily family = UnderlayFamily::kIpv4;
  bool ovnTunnelPmtud = true;  // the release's OVN forwards the tunnel's ICMP
  GatewayMode gatewayMode = GatewayMode::kShared;
  bool checksums = true;  // OvnNode::SetChecksums
  NetworkPlan network;    // cluster.network: the address plan's networks
};

struct Endpoint {
  ns3::Ptr<ns3::Node> node;  // the stack that sends and receives
  ns3::Ipv4Address address;
  uint32_t nodeIndex = 0;  // the cluster node it runs on
  bool hostNetwork = false;
};

class ClusterWorld : public ClusterDirectory {
 public:
  explicit ClusterWorld(const WorldConfig& config);

  uint32_t NodeCount() const override { return uint32_t(ovn_.size()); }
  bool UnderlayMac(ns3::Ipv4Address ip, ns3::Mac48Address* mac) const override;
  bool UnderlayMac(ns3::Ipv6Address ip, ns3::Mac48Address* mac) const override;

  const WorldConfig& Config() const { return config_; }
  const AddressPlan& Plan() const { return plan_; }
  const std::string& NodeName(uint32_t i) const { return config_.nodeNames.at(i); }
  ns3::Ptr<ns3::Node> Host(uint32_t i) const { return hosts_.Get(i); }
  ns3::Ptr<ns3::NetDevice> Nic(uint32_t i) const { return nics_.Get(i); }
  // The switch's end of node i's link.
  ns3::Ptr<ns3::NetDevice> SwitchPort(uint32_t i) const { return switchPorts_.Get(i); }
  OvnNode& Ovn(uint32_t i) { return *ovn_.at(i); }
  const OvnNode& Ovn(uint32_t i) const { return *ovn_.at(i); }
  ns3::Ipv4Address NodeIp(uint32_t i) const { return plan_.NodeIp(i); }
  ns3::Ipv6Address NodeIp6(uint32_t i) const { return plan_.NodeIp6(i); }
  // The address Geneve, ESP and IKE use between nodes: the IPv6 or IPv4 node IP.
  ns3::Address UnderlayIp(uint32_t i) const;
  // Node i sits behind a NAT: the other nodes reach it at `publicAddress`,
  // owned on the underlay by the NAT's outside device `mac`.
  void ReachVia(uint32_t i, ns3::Ipv4Address publicAddress, ns3::Mac48Address mac);
  ns3::Ipv4Address ReachableAddress(uint32_t i) const override;
  ns3::Ipv6Address ReachableAddress6(uint32_t i) const override { return plan_.NodeIp6(i); }
  // Where the other nodes reach node i on the underlay, in its family: a
  // NAT's public address (IPv4 only) or the node IP.
  ns3::Address ReachableUnderlayIp(uint32_t i) const;
  bool BehindNat(uint32_t i) const { return reachVia_.count(i) > 0; }

  // A node's host network as an endpoint.
  Endpoint HostEndpoint(uint32_t nodeIndex) const;
  // A new cluster-network pod on a node.
  Endpoint AddClusterPod(uint32_t nodeIndex);

  // An external IPsec endpoint on a new port of the switch, reachable from
  // every node's host; returns its index among the external hosts.
  uint32_t AddExternalHost(const std::string& name, ns3::Ipv4Address address);
  uint32_t ExternalCount() const { return uint32_t(externals_.size()); }
  ExternalHost& External(uint32_t i) { return *externals_.at(i); }
  const ExternalHost& External(uint32_t i) const { return *externals_.at(i); }

  // Writes DIR/<node>-eth0.pcap for every NIC (each frame appears in the
  // capture of the NIC that sent it and of the NICs that received it), as
  // tcpdump on the node would write it: no FCS trailer.
  void EnablePcap(const std::string& dir) const;

  // Gives every random variable of the simulation a stream of its own,
  // numbered from `stream` (ns-3's AssignStreams convention; returns how many
  // it used): the links' loss, then node by node in NodeList order, which
  // takes in the pods and middleboxes built around the world, ARP request
  // jitter, ICMPv6 timers and IPv6 fragment IDs of each internet stack and
  // the backoff of each CSMA device. Without it ns-3 numbers streams from a
  // process-wide counter, and a run would draw other numbers after another
  // run in the same process. Call it once every node is built.
  int64_t AssignStreams(int64_t stream);

 private:
  WorldConfig config_;
  AddressPlan plan_;
  ns3::NodeContainer hosts_;
  ns3::Ptr<ns3::Node> switch_;
  ns3::NetDeviceContainer nics_;
  ns3::NetDeviceContainer switchPorts_;
  std::unique_ptr<UnderlaySwitch> underlaySwitch_;
  ns3::CsmaHelper csma_;
  std::vector<std::unique_ptr<OvnNode>> ovn_;
  std::vector<ns3::Ptr<ns3::RateErrorModel>> losses_;  // cluster.link_loss, one per link
  struct NatFront {
    ns3::Ipv4Address address;
    ns3::Mac48Address mac;
  };
  std::map<uint32_t, NatFront> reachVia_;  // node -> the NAT in front of it
  std::vector<std::unique_ptr<ExternalHost>> externals_;
};

}  // namespace ipsecsim::sim
