#include "napt_splice.h"

#include "ns3/abort.h"
#include "ns3/csma-channel.h"
#include "ns3/data-rate.h"
#include "ns3/drop-tail-queue.h"
#include "ns3/nstime.h"
#include "ns3/uinteger.h"

namespace ipsecsim::natt {

using namespace ns3;

namespace {

Ptr<CsmaNetDevice> NewPort(Ptr<Node> node, Ptr<CsmaChannel> channel, uint16_t mtu) {
  Ptr<CsmaNetDevice> device = CreateObject<CsmaNetDevice>();
  device->SetAddress(Mac48Address::Allocate());
  device->SetMtu(mtu);
  device->SetQueue(CreateObject<DropTailQueue<Packet>>());
  node->AddDevice(device);
  device->Attach(channel);
  return device;
}

}  // namespace

NaptPlacement SpliceNapt(Ptr<CsmaNetDevice> hostNic, Ipv4Address publicAddress, Ptr<NaptBox> box) {
  Ptr<CsmaChannel> outside = DynamicCast<CsmaChannel>(hostNic->GetChannel());
  NS_ABORT_MSG_IF(!outside, "SpliceNapt: the host NIC is not on a CSMA channel");
  NaptPlacement placement;
  placement.natNode = CreateObject<Node>();
  placement.box = box ? box : CreateObject<NaptBox>();
  placement.hostNic = hostNic;
  for (size_t i = 0; i < outside->GetNDevices(); ++i) {
    if (outside->GetDevice(i) != hostNic) placement.switchPort = outside->GetDevice(i);
  }
  Ptr<CsmaChannel> inside = CreateObject<CsmaChannel>();
  inside->SetAttribute("DataRate", DataRateValue(outside->GetDataRate()));
  inside->SetAttribute("Delay", TimeValue(Seconds(0)));
  outside->Detach(hostNic);
  hostNic->Attach(inside);
  const uint16_t mtu = hostNic->GetMtu();
  Ptr<CsmaNetDevice> natInside = NewPort(placement.natNode, inside, mtu);
  Ptr<CsmaNetDevice> natOutside = NewPort(placement.natNode, outside, mtu);
  placement.natInside = natInside;
  placement.natOutside = natOutside;
  placement.box->Install(natInside, natOutside, publicAddress);
  placement.natNode->AggregateObject(placement.box);
  return placement;
}

}  // namespace ipsecsim::natt
