#include "ovn_node.h"

#include <ns3/ethernet-header.h>

#include <optional>

#include "address_rewrite.h"
#include "checksum_offload.h"
#include "geneve_header.h"
#include "host_ports.h"
#include "icmp_frag_needed.h"
#include "mtu_arithmetic.h"
#include "protocol_ports.h"
#include "underlay_egress.h"
#include "xfrm_stack.h"

namespace ipsecsim::sim {

using namespace ns3;

namespace {

constexpr uint16_t kIpv4EtherType = 0x0800;
constexpr uint16_t kIpv6EtherType = 0x86DD;
constexpr uint8_t kIcmp = 1, kTcp = 6, kUdp = 17, kEsp = 50;
constexpr uint16_t kNattPort = ports::kNatt;
// br-ex takes whole datagrams from the host stack and fits them to the
// underlay MTU itself (underlay_egress.h), honouring DF.
constexpr uint16_t kBrExDeviceMtu = 65535;
constexpr uint16_t kGeneveSourcePortBase = 49152;  // Linux picks tunnel source ports by flow hash

bool HasL4Header(const Ipv4Header& ip) { return ip.GetFragmentOffset() == 0; }

// The local (our side) and remote port of an L4 header; ICMP echo uses its
// identifier for both, as conntrack does.
bool PortsOf(uint8_t proto, const uint8_t* l4, size_t len, bool outbound, uint16_t* local,
             uint16_t* remote) {
  if ((proto == kUdp || proto == kTcp) && len >= 4) {
    const uint16_t src = uint16_t(l4[0] << 8 | l4[1]), dst = uint16_t(l4[2] << 8 | l4[3]);
    *local = outbound ? src : dst;
    *remote = outbound ? dst : src;
    return true;
  }
  if (proto == kIcmp && len >= 8 && (l4[0] == 8 || l4[0] == 0)) {
    *local = uint16_t(l4[4] << 8 | l4[5]);
    *remote = 0;
    return true;
  }
  return false;
}

// Whether an outer packet leaving br-ex is the Geneve tunnel's, and with
// which protection: ESP here only ever carries Geneve (the IPsec policies
// select UDP 6081), and UDP 4500 carries ESP unless it is IKE or a keepalive.
std::optional<mtu::Protection> TunnelPacket(Ptr<const Packet> outer) {
  uint8_t b[32] = {};
  outer->CopyData(b, std::min<uint32_t>(sizeof b, outer->GetSize()));
  const size_t ihl = size_t(b[0] & 0xF) * 4;
  if (ihl != 20 || outer->GetSize() < 29) return std::nullopt;
  if (b[9] == kEsp) return mtu::Protection::kEsp;
  if (b[9] != kUdp) return std::nullopt;
  const uint16_t sport = uint16_t(b[20] << 8 | b[21]), dport = uint16_t(b[22] << 8 | b[23]);
  if (sport == geneve::kUdpPort || dport == geneve::kUdpPort) return mtu::Protection::kNone;
  const bool nonEspMarker = b[28] == 0 && b[29] == 0 && b[30] == 0 && b[31] == 0;
  if ((sport == kNattPort || dport == kNattPort) && outer->GetSize() > 29 && !nonEspMarker) {
    return mtu::Protection::kEspInUdp;
  }
  return std::nullopt;
}

using SendCallback = Callback<bool, Ptr<Packet>, const Address&, const Address&, uint16_t>;

}  // namespace

OvnNode::OvnNode(uint32_t index, const AddressPlan& plan, const ClusterDirectory& directory,
                 Ptr<Node> host, Ptr<NetDevice> nic)
    : index_(index), plan_(plan), directory_(directory), host_(host), nic_(nic) {}

void OvnNode::Setup(int hostMtu, int clusterMtu, TunnelDfPolicy tunnelDf, UnderlayFamily family) {
  hostMtu_ = hostMtu;
  tunnelDf_ = tunnelDf;
  family_ = family;
  const bool ipv6 = family == UnderlayFamily::kIpv6;
  hostOutput_ = InstallLinuxOutput(host_, checksums_);
  brEx_ = MakePort(host_, Mac48Address::ConvertFrom(nic_->GetAddress()),
                   ipv6 ? hostMtu : kBrExDeviceMtu);
  brEx_->SetSendCallback(MakeCallback(&OvnNode::FromBrEx, this));
  brExInterface_ = AddInterface(host_, brEx_, NodeIp(), plan_.machineMask);
  if (ipv6) {
    Ptr<Ipv6> ipv6Stack = host_->GetObject<Ipv6>();
    const uint32_t i = ipv6Stack->AddInterface(brEx_);
    ipv6Stack->AddAddress(i,
                          Ipv6InterfaceAddress(NodeIp6(), Ipv6Prefix(plan_.kMachinePrefix6Length)));
    ipv6Stack->SetUp(i);
    host_->RegisterProtocolHandler(MakeCallback(&OvnNode::FromNic, this), kIpv6EtherType, nic_,
                                   false);
  }

  hostOutput_->SetLinkMtu(uint32_t(hostMtu));
  hostOutput_->AddLink(plan_.clusterNetwork, plan_.clusterMask, uint32_t(clusterMtu));
  const Ipv4Address mp0Ip = plan_.ManagementPortIp(index_);
  mp0_ = MakePort(host_, OvnMac(mp0Ip), clusterMtu);
  mp0_->SetSendCallback(SendCallback([this](Ptr<Packet> packet, const Address& from,
                                            const Address& to, uint16_t protocol) {
    FromStack(mp0_, packet, [&](Ptr<Packet> piece) { FromLogicalPort(piece, from, to, protocol); });
    return true;
  }));
  const uint32_t mp0If = AddInterface(host_, mp0_, mp0Ip, plan_.nodeSubnetMask);
  Ipv4StaticRoutingHelper routing;
  routing.GetStaticRouting(host_->GetObject<Ipv4>())
      ->AddNetworkRouteTo(plan_.clusterNetwork, plan_.clusterMask, plan_.RouterPortIp(index_),
                          mp0If);
  localPorts_[mp0Ip.Get()] = mp0_;

  host_->RegisterProtocolHandler(MakeCallback(&OvnNode::FromNic, this), kIpv4EtherType, nic_,
                                 false);
  geneveRx_ = Socket::CreateSocket(host_, UdpSocketFactory::GetTypeId());
  if (ipv6) {
    geneveRx_->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), geneve::kUdpPort));
  } else {
    geneveRx_->Bind(InetSocketAddress(Ipv4Address::GetAny(), geneve::kUdpPort));
  }
  geneveRx_->SetRecvCallback(MakeCallback(&OvnNode::FromGeneve, this));
}

void OvnNode::SetPodMtu(uint32_t interfaceMtu, uint32_t routeMtu) {
  for (const auto& [ip, port] : localPorts_) {
    port->SetMtu(uint16_t(interfaceMtu));
    if (port == mp0_) continue;
    port->GetNode()->GetObject<LinuxIpv4Output>()->SetLinkMtu(routeMtu);
  }
  hostOutput_->AddLink(plan_.clusterNetwork, plan_.clusterMask, routeMtu);
}

void OvnNode::AddUnderlayHostRoute(Ipv4Address address) {
  Ipv4StaticRoutingHelper routing;
  routing.GetStaticRouting(host_->GetObject<Ipv4>())->AddHostRouteTo(address, brExInterface_);
  underlayHostRoutes_.push_back(address);
}

void OvnNode::RestoreUnderlayHostRoutes() {
  Ptr<Ipv4StaticRouting> table =
      Ipv4StaticRoutingHelper().GetStaticRouting(host_->GetObject<Ipv4>());
  for (Ipv4Address address : underlayHostRoutes_) table->AddHostRouteTo(address, brExInterface_);
}

void OvnNode::SetHostMtu(int hostMtu) {
  hostMtu_ = hostMtu;
  hostOutput_->SetLinkMtu(uint32_t(hostMtu));
  if (family_ == UnderlayFamily::kIpv6) brEx_->SetMtu(uint16_t(hostMtu));
}

Ipv4Address OvnNode::AttachPod(Ptr<Node> pod, int clusterMtu) {
  const Ipv4Address ip = plan_.PodIp(index_, nextPod_++);
  Ptr<VirtualNetDevice> eth0 = MakePort(pod, OvnMac(ip), clusterMtu);
  InstallLinuxOutput(pod, checksums_)->SetLinkMtu(uint32_t(clusterMtu));
  eth0->SetSendCallback(SendCallback([this, eth0 = PeekPointer(eth0)](
                                         Ptr<Packet> packet, const Address& from, const Address& to,
                                         uint16_t protocol) {
    FromStack(eth0, packet, [&](Ptr<Packet> piece) { FromLogicalPort(piece, from, to, protocol); });
    return true;
  }));
  const uint32_t i = AddInterface(pod, eth0, ip, plan_.nodeSubnetMask);
  Ipv4StaticRoutingHelper routing;
  routing.GetStaticRouting(pod->GetObject<Ipv4>())->SetDefaultRoute(plan_.RouterPortIp(index_), i);
  localPorts_[ip.Get()] = eth0;
  return ip;
}

void OvnNode::FromStack(Ptr<NetDevice> link, Ptr<Packet> packet,
                        const std::function<void(Ptr<Packet>)>& next) {
  if (packet->GetSize() < 20) return;
  Ptr<LinuxIpv4Output> output = link->GetNode()->GetObject<LinuxIpv4Output>();
  const uint64_t dropsBefore = output->LocalDfDrops();
  for (const Ptr<Packet>& piece : output->Output(packet)) next(piece);
  if (output->LocalDfDrops() == dropsBefore) return;
  // ip_fragment's icmp_send for a DF packet that no longer fits: the stack
  // tells its own socket, as the kernel does.
  Ipv4Header ip;
  packet->PeekHeader(ip);
  FragNeededOrigin origin;
  origin.source = ip.GetSource();
  origin.destination = ip.GetSource();
  Ptr<Packet> icmp =
      BuildFragNeeded(packet, uint16_t(output->RouteMtu(ip.GetDestination())), origin);
  Ptr<VirtualNetDevice> dev = DynamicCast<VirtualNetDevice>(link);
  Simulator::ScheduleNow([dev, icmp] {
    dev->Receive(icmp, kIpv4EtherType, dev->GetAddress(), dev->GetAddress(),
                 NetDevice::PACKET_HOST);
  });
}

bool OvnNode::FromLogicalPort(Ptr<Packet> packet, const Address&, const Address&, uint16_t) {
  Ipv4Header ip;
  packet->PeekHeader(ip);
  const Ipv4Address dst = ip.GetDestination();
  if (!plan_.InClusterNetwork(dst)) {
    GatewayOut(packet, ip);
    return true;
  }
  const uint32_t node = plan_.NodeOfPodIp(dst);
  if (node == index_) {
    DeliverToLocalPort(packet, dst);
  } else if (node < directory_.NodeCount()) {
    SendGeneve(packet, ip, node);
  } else {
    ++counters_.noRoute;
  }
  return true;
}

void OvnNode::DeliverToLocalPort(Ptr<Packet> ipPacket, Ipv4Address dst) {
  auto it = localPorts_.find(dst.Get());
  if (it == localPorts_.end()) {
    ++counters_.noRoute;
    return;
  }
  ++counters_.localSwitched;
  it->second->GetNode()->GetObject<LinuxIpv4Output>()->Inspect(ipPacket);
  it->second->Receive(ipPacket, kIpv4EtherType, OvnMac(plan_.RouterPortIp(index_)),
                      it->second->GetAddress(), NetDevice::PACKET_HOST);
}

void OvnNode::SendGeneve(Ptr<Packet> ipPacket, const Ipv4Header& ip, uint32_t remoteNode) {
  // Source port from a hash of the inner flow, so each flow keeps its port.
  uint8_t head[24] = {};
  ipPacket->CopyData(head, sizeof head);
  uint32_t hash = 2166136261u;
  const size_t hashed = HasL4Header(ip) ? 24 : 20;
  for (size_t i = 12; i < hashed; ++i) hash = (hash ^ head[i]) * 16777619u;
  hash = (hash ^ head[9]) * 16777619u;
  const uint16_t sourcePort = uint16_t(kGeneveSourcePortBase + hash % 16384);
  Ptr<const Packet> inner = ipPacket->Copy();
  if (TunnelRefuses(inner, ip, remoteNode, sourcePort)) return;

  EthernetHeader eth(false);
  eth.SetSource(OvnMac(plan_.RouterPortIp(remoteNode)));
  eth.SetDestination(OvnMac(ip.GetDestination()));
  eth.SetLengthType(kIpv4EtherType);
  ipPacket->AddHeader(eth);
  geneve::GeneveHeader g;
  g.SetVni(remoteNode + 1);  // the remote logical switch's tunnel key
  g.SetPorts(1, uint16_t(plan_.HostOffset(ip.GetDestination()) & 0xFFFF));
  ipPacket->AddHeader(g);
  ++counters_.geneveSent;
  tunnelInner_ = inner;
  GeneveSocketFor(sourcePort)->SendTo(ipPacket, 0, GeneveDestination(remoteNode));
  tunnelInner_ = nullptr;
}

// The MTU of the host's route to the remote tunnel end, through xfrm when a
// state protects the tunnel's flow (the route's dst is then the xfrm
// bundle's, whose MTU xfrm_state_mtu lowers).
uint32_t OvnNode::TunnelRouteMtu(uint32_t remoteNode, uint16_t sourcePort) const {
  const Ipv4Address remote = directory_.ReachableAddress(remoteNode);
  const uint32_t route = hostOutput_->RouteMtu(remote);
  Ptr<xfrm::XfrmStack> xfrm = host_->GetObject<xfrm::XfrmStack>();
  if (!xfrm) return route;
  xfrm::FlowTuple flow;
  flow.src = NodeIp();
  flow.dst = remote;
  flow.protocol = kUdp;
  flow.srcPort = sourcePort;
  flow.dstPort = geneve::kUdpPort;
  const xfrm::XfrmStack::OutboundDecision decision = xfrm->DecideOutbound(flow);
  if (decision.kind != xfrm::XfrmStack::OutboundDecision::Kind::kProtected) return route;
  const bool encapsulated = decision.state->config.encap.has_value();
  return mtu::XfrmStateMtu(route,
                           encapsulated ? mtu::Protection::kEspInUdp : mtu::Protection::kEsp);
}

// skb_tunnel_check_pmtu, before encapsulation: an inner packet with DF that
// exceeds the route's MTU less the tunnel's headroom is answered with ICMP
// "fragmentation needed" built from it (iptunnel_pmtud_check_icmp: not for
// MTUs under 576, packets without DF, or ICMP errors) and goes no further.
bool OvnNode::TunnelRefuses(Ptr<const Packet> inner, const Ipv4Header& ip, uint32_t remoteNode,
                            uint16_t sourcePort) {
  if (family_ != UnderlayFamily::kIpv4 || !ip.IsDontFragment()) return false;
  // Whatever protects the tunnel, a packet this small fits.
  const Ipv4Address remote = directory_.ReachableAddress(remoteNode);
  const uint32_t surelyFits =
      mtu::XfrmStateMtu(hostOutput_->RouteMtu(remote), mtu::Protection::kEspInUdp) -
      mtu::kGeneveTunnelHeadroom;
  if (inner->GetSize() <= surelyFits) return false;
  const uint32_t routeMtu = TunnelRouteMtu(remoteNode, sourcePort);
  if (routeMtu <= mtu::kGeneveTunnelHeadroom) return false;
  const uint32_t mtu = routeMtu - mtu::kGeneveTunnelHeadroom;
  if (inner->GetSize() <= mtu || mtu < 576) return false;
  if (ip.GetProtocol() == kIcmp && HasL4Header(ip)) {
    const uint32_t at = ip.GetSerializedSize();
    uint8_t head[64] = {};
    inner->CopyData(head, std::min<uint32_t>(sizeof head, at + 1));
    const uint8_t type = at < sizeof head ? head[at] : 0;
    const bool error = type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    if (error) return false;
  }
  ++counters_.tunnelPmtuDrops;
  if (onDfDrop_) onDfDrop_(inner, uint16_t(mtu));
  if (!tunnelPmtud_) {
    ++counters_.tunnelIcmpDroppedByOvn;
    return true;
  }
  ++counters_.icmpFragNeeded;
  Ptr<Packet> icmp = BuildTunnelFragNeeded(inner, uint16_t(mtu));
  // The driver hands it to the bridge with netif_rx: a new event.
  Simulator::ScheduleNow(&OvnNode::DeliverToLocalPort, this, icmp, ip.GetSource());
  return true;
}

Address OvnNode::GeneveDestination(uint32_t remoteNode) const {
  if (family_ == UnderlayFamily::kIpv6) {
    return Inet6SocketAddress(directory_.ReachableAddress6(remoteNode), geneve::kUdpPort);
  }
  return InetSocketAddress(directory_.ReachableAddress(remoteNode), geneve::kUdpPort);
}

Ptr<Socket> OvnNode::GeneveSocketFor(uint16_t sourcePort) {
  auto it = geneveTx_.find(sourcePort);
  if (it != geneveTx_.end()) return it->second;
  Ptr<Socket> s = Socket::CreateSocket(host_, UdpSocketFactory::GetTypeId());
  if (family_ == UnderlayFamily::kIpv6) {
    s->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), sourcePort));
  } else {
    s->Bind(InetSocketAddress(Ipv4Address::GetAny(), sourcePort));
  }
  geneveTx_[sourcePort] = s;
  return s;
}

void OvnNode::FromGeneve(Ptr<Socket> socket) {
  Ptr<Packet> p;
  while ((p = socket->Recv())) {
    constexpr uint32_t kMinimum =
        geneve::kBaseHeaderLen + geneve::kOvnOptionLen + geneve::kInnerEthernetLen + 20;
    if (p->GetSize() < kMinimum) {
      ++counters_.geneveMalformed;
      continue;
    }
    geneve::GeneveHeader g;
    p->RemoveHeader(g);
    EthernetHeader eth(false);
    if (!g.IsValid() || p->RemoveHeader(eth) != geneve::kInnerEthernetLen ||
        eth.GetLengthType() != kIpv4EtherType) {
      ++counters_.geneveMalformed;
      continue;
    }
    uint8_t first = 0;
    p->CopyData(&first, 1);
    if (first >> 4 != 4 || (first & 0xF) < 5) {
      ++counters_.geneveMalformed;
      continue;
    }
    Ipv4Header ip;
    p->PeekHeader(ip);
    ++counters_.geneveReceived;
    DeliverToLocalPort(p, ip.GetDestination());
  }
}

void OvnNode::GatewayOut(Ptr<Packet> ipPacket, Ipv4Header ip) {
  if (ip.GetDestination() == NodeIp()) {
    // A pod reaching its own node's host network never leaves the node.
    ++counters_.localSwitched;
    mp0_->Receive(ipPacket, kIpv4EtherType, OvnMac(plan_.RouterPortIp(index_)), mp0_->GetAddress(),
                  NetDevice::PACKET_HOST);
    return;
  }
  std::vector<uint8_t> bytes(ipPacket->GetSize());
  ipPacket->CopyData(bytes.data(), bytes.size());
  natt::Ipv4View view;
  if (natt::ParseIpv4(bytes.data(), bytes.size(), &view) != natt::ParseStatus::kIpv4) {
    ++counters_.gatewayMalformed;
    return;
  }
  const uint8_t proto = ip.GetProtocol();
  const uint8_t* l4 = bytes.data() + view.headerLength;
  const size_t l4Length = size_t(view.totalLength) - view.headerLength;
  uint16_t local = 0, remote = 0;
  if (HasL4Header(ip) && PortsOf(proto, l4, l4Length, true, &local, &remote)) {
    const uint32_t podIp = ip.GetSource().Get();
    const uint16_t podPort = local;
    // Keep the pod's port unless another pod already holds that mapping.
    for (;;) {
      auto [it, inserted] =
          snat_.try_emplace(ConntrackKey{proto, ip.GetDestination().Get(), remote, local},
                            PodEndpoint{podIp, podPort});
      if (inserted || (it->second.ip == podIp && it->second.port == podPort)) break;
      local = local == 65535 ? 1024 : uint16_t(local + 1);
    }
  }
  // Conntrack's SNAT fixes the checksums it invalidates (RFC 1624).
  natt::RewriteSource(bytes.data(), view, NodeIp(), local);
  ++counters_.gatewaySnat;
  if (gatewayMode_ == GatewayMode::kLocal) {
    RouteThroughHost(bytes, view.headerLength, view.totalLength, proto, ip.GetDestination());
    return;
  }
  SendOnUnderlay(Create<Packet>(bytes.data(), view.totalLength), ip.GetDestination());
}

// Local gateway mode: the pod's packet crossed ovn-k8s-mp0 into the host,
// which routes it and masquerades it to the node IP (ovn-org/ovn-kubernetes
// 65019d83 go-controller/pkg/node/gateway_iptables.go,
// getLocalGatewayNATRules: nat POSTROUTING -s <cluster subnet> -j
// MASQUERADE; the same conntrack table as above stands for it). The
// translated flow meets xfrm again (Linux net/netfilter/nf_nat_proto.c,
// nf_nat_ipv4_out: nf_xfrm_me_harder), so the host's policies for its own
// IP apply. [A] It leaves with the host's own IP header (TTL, DF, ID), as a
// datagram the host sends, not the pod's header with its TTL decremented.
void OvnNode::RouteThroughHost(const std::vector<uint8_t>& bytes, uint32_t headerLength,
                               uint32_t totalLength, uint8_t protocol, Ipv4Address destination) {
  HookConntrackReturn();
  Ptr<IpL4Protocol> l4 = host_->GetObject<Ipv4L3Protocol>()->GetProtocol(protocol);
  if (!l4) {
    ++counters_.noRoute;
    return;
  }
  Ptr<Packet> segment = Create<Packet>(bytes.data() + headerLength, totalLength - headerLength);
  l4->GetDownTarget()(segment, NodeIp(), destination, protocol, nullptr);
}

// A reply that arrives in ESP is decrypted by the host's xfrm, and
// PREROUTING's conntrack then turns it back to the pod (GatewayReturn).
void OvnNode::HookConntrackReturn() {
  Ptr<xfrm::XfrmStack> kernel = host_->GetObject<xfrm::XfrmStack>();
  if (!kernel || PeekPointer(kernel) == hookedKernel_) return;
  hookedKernel_ = PeekPointer(kernel);
  kernel->SetDecryptedHook([this](Ptr<Packet> segment, const Ipv4Header& header) {
    Ptr<Packet> packet = segment->Copy();
    packet->AddHeader(header);
    return GatewayReturn(packet);
  });
}

bool OvnNode::GatewayReturn(Ptr<Packet> ipPacket) {
  Ipv4Header ip;
  ipPacket->PeekHeader(ip);
  if (ip.GetDestination() != NodeIp() || !HasL4Header(ip) || snat_.empty()) return false;
  std::vector<uint8_t> bytes(ipPacket->GetSize());
  ipPacket->CopyData(bytes.data(), bytes.size());
  natt::Ipv4View view;
  if (natt::ParseIpv4(bytes.data(), bytes.size(), &view) != natt::ParseStatus::kIpv4) return false;
  const uint8_t* l4 = bytes.data() + view.headerLength;
  const size_t l4Length = size_t(view.totalLength) - view.headerLength;
  uint16_t local = 0, remote = 0;
  if (!PortsOf(ip.GetProtocol(), l4, l4Length, false, &local, &remote)) return false;
  auto it = snat_.find(ConntrackKey{ip.GetProtocol(), ip.GetSource().Get(), remote, local});
  if (it == snat_.end()) return false;
  const Ipv4Address pod(it->second.ip);
  natt::RewriteDestination(bytes.data(), view, pod, it->second.port);
  ++counters_.gatewayUnsnat;
  DeliverToLocalPort(Create<Packet>(bytes.data(), view.totalLength), pod);
  return true;
}

bool OvnNode::FromBrEx(Ptr<Packet> packet, const Address&, const Address&, uint16_t protocol) {
  if (protocol == kIpv6EtherType) {
    if (ipv6LinkUp_) SendIpv6OnUnderlay(packet);
    return true;
  }
  Ipv4Header ip;
  packet->PeekHeader(ip);
  if (!TunnelPacket(packet)) {
    FromStack(brEx_, packet,
              [&](Ptr<Packet> piece) { SendOnUnderlay(piece, ip.GetDestination()); });
    return true;
  }
  bool df = tunnelDf_ != TunnelDfPolicy::kClear;
  if (tunnelDf_ == TunnelDfPolicy::kInherit && tunnelInner_) {
    Ipv4Header inner;
    tunnelInner_->PeekHeader(inner);
    df = inner.IsDontFragment();
  }
  SetDontFragment(packet, df, checksums_);
  const std::vector<Ptr<Packet>> pieces = FitToMtu(packet, uint32_t(hostMtu_), checksums_);
  if (pieces.empty()) DropForDf(packet);
  for (const Ptr<Packet>& piece : pieces) SendOnUnderlay(piece, ip.GetDestination());
  return true;
}

// The encapsulated packet exceeds the underlay with DF (its inner packet had
// no DF, or was small enough for the tunnel's check): ip_fragment drops it
// on the host and its icmp_send stays on the host, so the inner sender hears
// nothing.
void OvnNode::DropForDf(Ptr<const Packet> outer) {
  ++counters_.dfDrops;
  if (onDfDrop_ && TunnelPacket(outer)) onDfDrop_(tunnelInner_ ? tunnelInner_ : outer, 0);
}

void OvnNode::SendOnUnderlay(Ptr<Packet> ipPacket, Ipv4Address dst) {
  Mac48Address mac;
  if (!directory_.UnderlayMac(dst, &mac)) {
    ++counters_.noRoute;
    return;
  }
  nic_->Send(ipPacket, mac, kIpv4EtherType);
}

// The host stack already fitted the packet to br-ex's MTU (the host MTU),
// fragmenting at the source as IPv6 does.
void OvnNode::SendIpv6OnUnderlay(Ptr<Packet> ipPacket) {
  Ipv6Header ip;
  ipPacket->PeekHeader(ip);
  Mac48Address mac;
  if (ip.GetDestination().IsMulticast()) {
    ++counters_.ipv6NotForwarded;
    return;
  }
  if (!directory_.UnderlayMac(ip.GetDestination(), &mac)) {
    ++counters_.noRoute;
    return;
  }
  nic_->Send(ipPacket, mac, kIpv6EtherType);
}

void OvnNode::FromNic(Ptr<NetDevice>, Ptr<const Packet> packet, uint16_t protocol,
                      const Address& from, const Address& to, NetDevice::PacketType) {
  Ptr<Packet> p = packet->Copy();
  if (protocol == kIpv6EtherType) {
    if (ipv6LinkUp_) brEx_->Receive(p, kIpv6EtherType, from, to, NetDevice::PACKET_HOST);
    return;
  }
  if (GatewayReturn(p)) return;
  hostOutput_->Inspect(p);
  brEx_->Receive(p, kIpv4EtherType, from, to, NetDevice::PACKET_HOST);
}

}  // namespace ipsecsim::sim
