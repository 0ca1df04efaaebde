// One node's OVN data path, as OVN-Kubernetes wires it:
// - the node's logical switch (br-int) with one port per cluster-network pod
//   and the management port ovn-k8s-mp0 of the host stack;
// - Geneve tunnels (UDP 6081) between node IPs to the other nodes' switches,
//   sent and received through the host's kernel stack (where xfrm applies);
// - the gateway router: traffic from a pod to a non-cluster address (a node
//   IP, a host-network pod) is SNATed to the node IP and leaves on br-ex
//   without entering the host's kernel stack, and replies are un-SNATed;
// - br-ex: the bridge between the NIC and the host stack's node IP.
#pragma once

#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <ns3/virtual-net-device.h>

#include <functional>
#include <map>
#include <string>
#include <tuple>

#include "addressing.h"
#include "gateway_mode.h"
#include "linux_ip_output.h"
#include "mtu_arithmetic.h"
#include "tunnel_df.h"

namespace ipsecsim::sim {

class OvnNode;

// What every node's data path needs to know about the others.
class ClusterDirectory {
 public:
  virtual ~ClusterDirectory() = default;
  // The NIC MAC that owns an underlay address, or false when none does.
  virtual bool UnderlayMac(ns3::Ipv4Address ip, ns3::Mac48Address* mac) const = 0;
  virtual bool UnderlayMac(ns3::Ipv6Address ip, ns3::Mac48Address* mac) const = 0;
  virtual uint32_t NodeCount() const = 0;
  // Where other nodes send to reach a node: its own IP, or the public
  // address of a NAT in front of it.
  virtual ns3::Ipv4Address ReachableAddress(uint32_t node) const = 0;
  // With an IPv6 underlay: the node's IPv6 node IP (no NAT66 is modelled).
  virtual ns3::Ipv6Address ReachableAddress6(uint32_t node) const = 0;
};

// The address family of the underlay: of the node IPs that Geneve, ESP and
// IKE use. Pods and host-network flows stay IPv4 either way (an IPv6
// underlay is a dual-stack cluster whose primary family is IPv6).
using UnderlayFamily = mtu::UnderlayFamily;

struct OvnCounters {
  uint64_t geneveSent = 0;
  uint64_t geneveReceived = 0;
  uint64_t geneveMalformed = 0;  // counted and dropped
  uint64_t localSwitched = 0;
  uint64_t gatewaySnat = 0;
  uint64_t gatewayUnsnat = 0;
  uint64_t gatewayMalformed = 0;  // counted and dropped
  uint64_t noRoute = 0;           // destination unknown to OVN or the underlay
  uint64_t dfDrops = 0;           // too big for the underlay MTU with DF set
  uint64_t icmpFragNeeded = 0;    // ICMP "fragmentation needed" sent to the inner sender
  // Inner packets with DF the tunnel refused before encapsulation (they did
  // not fit the route's MTU through xfrm), and of their ICMP answers those
  // that OVN without tunnel PMTUD drops.
  uint64_t tunnelPmtuDrops = 0;
  uint64_t tunnelIcmpDroppedByOvn = 0;
  uint64_t ipv6NotForwarded = 0;  // IPv6 multicast (router solicitations) kept off the underlay
};

// A tunnel packet dropped for DF: the inner packet it carried and the next-hop
// MTU announced to the inner sender (0 when no ICMP could be sent).
using DfDropCallback = std::function<void(ns3::Ptr<const ns3::Packet> inner, uint16_t nextHopMtu)>;

class OvnNode {
 public:
  OvnNode(uint32_t index, const AddressPlan& plan, const ClusterDirectory& directory,
          ns3::Ptr<ns3::Node> host, ns3::Ptr<ns3::NetDevice> nic);

  // Creates br-ex (node IP) and ovn-k8s-mp0 on the host stack, which must
  // already have the internet stack installed.
  // With an IPv6 underlay, br-ex also carries the IPv6 node IP and its MTU
  // is the host MTU: the host stack fragments what does not fit at the source
  // and keeps ns-3's IPv6 path-MTU cache, as IPv6 requires.
  void Setup(int hostMtu, int clusterMtu, TunnelDfPolicy tunnelDf = TunnelDfPolicy::kSet,
             UnderlayFamily family = UnderlayFamily::kIpv4);
  void SetDfDropCallback(DfDropCallback callback) { onDfDrop_ = std::move(callback); }
  // Whether the node's stacks fill checksums (before Setup): the L4 ones
  // through each stack's ChecksumOffload, the IPv4 headers in each stack's
  // LinuxIpv4Output and where br-ex fits the tunnel to the underlay. Off
  // leaves every checksum zero, to measure what filling costs.
  void SetChecksums(bool filled) { checksums_ = filled; }
  // Whether OVN forwards the tunnel's ICMP "fragmentation needed" to the
  // inner sender (tunnel PMTUD, ovn-org/ovn 221476a01) or drops it.
  void SetTunnelPmtud(bool forwarded) { tunnelPmtud_ = forwarded; }
  // gatewayConfig.routingViaHost (sim/gateway_mode.h).
  void SetGatewayMode(GatewayMode mode) { gatewayMode_ = mode; }
  // A reboot takes the node's link down: IPv4 by Ipv4::SetDown, IPv6 here,
  // where br-ex stops passing IPv6 both ways. ns-3's Ipv6::SetDown would
  // forget the node IP (Linux keeps static addresses) and crash on ICMPv6
  // still queued for the interface.
  void SetIpv6LinkUp(bool up) { ipv6LinkUp_ = up; }
  // The node rebooted into a new MTU configuration: every logical port here
  // (the pods' eth0, mp0) gets `interfaceMtu`, and the routes of the stacks
  // behind them `routeMtu` (ovn-kubernetes' routable-mtu).
  void SetPodMtu(uint32_t interfaceMtu, uint32_t routeMtu);
  // The machine MTU of the node's uplink.
  void SetHostMtu(int hostMtu);
  // The host reaches `address` directly on the underlay, through br-ex (an
  // external IPsec endpoint).
  void AddUnderlayHostRoute(ns3::Ipv4Address address);
  // The uplink comes back (a reboot): Linux drops routes through a downed
  // device, and the node's boot brings them back.
  void RestoreUnderlayHostRoutes();
  // Gives a pod node (internet stack installed) its eth0 on this switch.
  ns3::Ipv4Address AttachPod(ns3::Ptr<ns3::Node> pod, int clusterMtu);

  uint32_t Index() const { return index_; }
  ns3::Ipv4Address NodeIp() const { return plan_.NodeIp(index_); }
  ns3::Ipv6Address NodeIp6() const { return plan_.NodeIp6(index_); }
  ns3::Ptr<ns3::Node> Host() const { return host_; }
  const OvnCounters& Counters() const { return counters_; }

 private:
  using ConntrackKey =
      std::tuple<uint8_t, uint32_t, uint16_t, uint16_t>;  // proto, remote, rport, lport
  struct PodEndpoint {
    uint32_t ip;
    uint16_t port;
  };

  bool FromLogicalPort(ns3::Ptr<ns3::Packet> packet, const ns3::Address&, const ns3::Address&,
                       uint16_t protocol);
  bool FromBrEx(ns3::Ptr<ns3::Packet> packet, const ns3::Address&, const ns3::Address&,
                uint16_t protocol);
  void FromNic(ns3::Ptr<ns3::NetDevice>, ns3::Ptr<const ns3::Packet> packet, uint16_t protocol,
               const ns3::Address&, const ns3::Address&, ns3::NetDevice::PacketType);
  void FromGeneve(ns3::Ptr<ns3::Socket> socket);

  // A stack's own packet leaving on one of its links (a pod's eth0, mp0):
  // Linux's IPv4 output decides DF and fragments; `next` takes each piece.
  void FromStack(ns3::Ptr<ns3::NetDevice> link, ns3::Ptr<ns3::Packet> packet,
                 const std::function<void(ns3::Ptr<ns3::Packet>)>& next);
  void DeliverToLocalPort(ns3::Ptr<ns3::Packet> ipPacket, ns3::Ipv4Address dst);
  // skb_tunnel_check_pmtu: true when the inner packet was refused.
  bool TunnelRefuses(ns3::Ptr<const ns3::Packet> inner, const ns3::Ipv4Header& ip,
                     uint32_t remoteNode, uint16_t sourcePort);
  uint32_t TunnelRouteMtu(uint32_t remoteNode, uint16_t sourcePort) const;
  void SendGeneve(ns3::Ptr<ns3::Packet> ipPacket, const ns3::Ipv4Header& ip, uint32_t remoteNode);
  void GatewayOut(ns3::Ptr<ns3::Packet> ipPacket, ns3::Ipv4Header ip);
  bool GatewayReturn(ns3::Ptr<ns3::Packet> ipPacket);
  void RouteThroughHost(const std::vector<uint8_t>& bytes, uint32_t headerLength,
                        uint32_t totalLength, uint8_t protocol, ns3::Ipv4Address destination);
  void HookConntrackReturn();
  void SendOnUnderlay(ns3::Ptr<ns3::Packet> ipPacket, ns3::Ipv4Address dst);
  void SendIpv6OnUnderlay(ns3::Ptr<ns3::Packet> ipPacket);
  ns3::Address GeneveDestination(uint32_t remoteNode) const;
  void DropForDf(ns3::Ptr<const ns3::Packet> outer);
  ns3::Ptr<ns3::Socket> GeneveSocketFor(uint16_t sourcePort);

  uint32_t index_;
  AddressPlan plan_;
  const ClusterDirectory& directory_;
  ns3::Ptr<ns3::Node> host_;
  ns3::Ptr<ns3::NetDevice> nic_;
  ns3::Ptr<ns3::VirtualNetDevice> brEx_;
  uint32_t brExInterface_ = 0;
  ns3::Ptr<ns3::VirtualNetDevice> mp0_;
  std::map<uint32_t, ns3::Ptr<ns3::VirtualNetDevice>> localPorts_;  // IP -> pod eth0 or mp0
  uint32_t nextPod_ = 0;
  ns3::Ptr<ns3::Socket> geneveRx_;
  std::map<uint16_t, ns3::Ptr<ns3::Socket>> geneveTx_;
  std::map<ConntrackKey, PodEndpoint> snat_;
  OvnCounters counters_;
  int hostMtu_ = 1500;
  TunnelDfPolicy tunnelDf_ = TunnelDfPolicy::kSet;
  UnderlayFamily family_ = UnderlayFamily::kIpv4;
  bool ipv6LinkUp_ = true;
  bool tunnelPmtud_ = true;
  bool checksums_ = true;
  ns3::Ptr<LinuxIpv4Output> hostOutput_;
  // The inner packet while SendGeneve hands its tunnel packet to the host
  // stack (which reaches br-ex synchronously unless xfrm holds it).
  ns3::Ptr<const ns3::Packet> tunnelInner_;
  DfDropCallback onDfDrop_;
  std::vector<ns3::Ipv4Address> underlayHostRoutes_;
  GatewayMode gatewayMode_ = GatewayMode::kShared;
  const void* hookedKernel_ = nullptr;  // the host XfrmStack whose decrypted packets it sees
};

}  // namespace ipsecsim::sim
