#include "napt_placement.h"

namespace ipsecsim::natt {

using namespace ns3;

NaptPlacement PlaceNaptBetween(const CsmaHelper& csma, Ptr<Node> host, Ptr<Node> switchNode,
                               Ipv4Address publicAddress, Ptr<NaptBox> box) {
  NaptPlacement placement;
  placement.natNode = CreateObject<Node>();
  placement.box = box ? box : CreateObject<NaptBox>();
  NetDeviceContainer insideLink = csma.Install(NodeContainer(host, placement.natNode));
  NetDeviceContainer outsideLink = csma.Install(NodeContainer(placement.natNode, switchNode));
  placement.hostNic = insideLink.Get(0);
  placement.natInside = insideLink.Get(1);
  placement.natOutside = outsideLink.Get(0);
  placement.switchPort = outsideLink.Get(1);
  placement.box->Install(placement.natInside, placement.natOutside, publicAddress);
  placement.natNode->AggregateObject(placement.box);
  return placement;
}

}  // namespace ipsecsim::natt
