#include "host_ports.h"

#include "checksum_offload.h"

namespace ipsecsim::sim {

using namespace ns3;

Ptr<VirtualNetDevice> MakePort(Ptr<Node> node, Mac48Address mac, int mtu) {
  Ptr<VirtualNetDevice> dev = CreateObject<VirtualNetDevice>();
  dev->SetNeedsArp(false);
  dev->SetSupportsSendFrom(false);
  dev->SetAddress(mac);
  dev->SetMtu(uint16_t(mtu));
  node->AddDevice(dev);
  return dev;
}

uint32_t AddInterface(Ptr<Node> node, Ptr<NetDevice> dev, Ipv4Address ip, Ipv4Mask mask) {
  Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
  const uint32_t i = ipv4->AddInterface(dev);
  ipv4->AddAddress(i, Ipv4InterfaceAddress(ip, mask));
  ipv4->SetUp(i);
  return i;
}

Ptr<LinuxIpv4Output> InstallLinuxOutput(Ptr<Node> node, bool checksums) {
  if (checksums) xfrm::ChecksumOffload::Install(node);
  Ptr<LinuxIpv4Output> output = node->GetObject<LinuxIpv4Output>();
  if (!output) {
    output = CreateObject<LinuxIpv4Output>();
    node->AggregateObject(output);
  }
  output->SetHeaderChecksums(checksums);
  return output;
}

}  // namespace ipsecsim::sim
