#include "external_host.h"

#include "host_ports.h"
#include "ovn_node.h"

namespace ipsecsim::sim {

using namespace ns3;

namespace {
constexpr uint16_t kIpv4EtherType = 0x0800;
}

ExternalHost::ExternalHost(std::string name, Ipv4Address address, Ptr<ns3::Node> node,
                           Ptr<NetDevice> nic, Ptr<NetDevice> switchPort)
    : name_(std::move(name)), address_(address), node_(node), nic_(nic), switchPort_(switchPort) {}

void ExternalHost::Setup(const ClusterDirectory& directory, int mtu, Ipv4Address machineNetwork,
                         Ipv4Mask machineMask, bool checksums) {
  directory_ = &directory;
  output_ = InstallLinuxOutput(node_, checksums);
  output_->SetLinkMtu(uint32_t(mtu));
  eth0_ = MakePort(node_, Mac48Address::ConvertFrom(nic_->GetAddress()), mtu);
  eth0_->SetSendCallback(MakeCallback(&ExternalHost::FromStack, this));
  const uint32_t eth0 = AddInterface(node_, eth0_, address_, Ipv4Mask::GetOnes());
  Ipv4StaticRoutingHelper routing;
  routing.GetStaticRouting(node_->GetObject<Ipv4>())
      ->AddNetworkRouteTo(machineNetwork, machineMask, eth0);
  node_->RegisterProtocolHandler(MakeCallback(&ExternalHost::FromNic, this), kIpv4EtherType, nic_,
                                 false);
}

bool ExternalHost::FromStack(Ptr<Packet> packet, const Address&, const Address&,
                             uint16_t protocol) {
  if (protocol != kIpv4EtherType) return true;
  Ipv4Header ip;
  packet->PeekHeader(ip);
  Mac48Address mac;
  if (!directory_->UnderlayMac(ip.GetDestination(), &mac)) {
    ++noRoute_;
    return true;
  }
  // Linux's output path, as a node's br-ex takes it (OvnNode::FromStack): DF,
  // local fragmentation and the header checksum.
  for (const Ptr<Packet>& piece : output_->Output(packet)) nic_->Send(piece, mac, kIpv4EtherType);
  return true;
}

void ExternalHost::FromNic(Ptr<NetDevice>, Ptr<const Packet> packet, uint16_t protocol,
                           const Address& from, const Address& to, NetDevice::PacketType) {
  eth0_->Receive(packet->Copy(), protocol, from, to, NetDevice::PACKET_HOST);
}

}  // namespace ipsecsim::sim
