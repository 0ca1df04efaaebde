// A firewall / security group placed on a link.
//
// Mechanism: LinkFirewall is an ns3::ErrorModel set as a device's
// "ReceiveErrorModel". CsmaNetDevice and PointToPointNetDevice hand every
// frame arriving from the wire to that model before anything else sees it
// (before the device's receive sniffers, the bridge and the IP stack), and a
// frame the model calls "corrupt" is dropped with only the PhyRxDrop trace
// fired. The firewall parses the frame's bytes and "corrupts" the packets
// its rules deny. This was chosen over
//   - wrapping devices in a filtering BridgeNetDevice, which would change the
//     switch's construction in sim/ and does not apply to a host's NIC;
//   - a traffic-control queue disc, which exists only where an IP stack and
//     TrafficControlLayer are installed (not on the switch's bridge ports)
//     and only sees the send path;
// because it needs no change to how links are built: any CSMA or
// point-to-point device, on a host or on a switch port, can get one, and it
// leaves the frame untouched on the sender's side of the link, so a tap on
// the sending end still shows what was put on the wire.
//
// A firewall filters the direction "into" each device it is set on. To filter
// both directions of a link, set the same firewall on both ends
// (InstallOnLink): each frame is then judged once, by the receiving end.
//
// Stateless, like a cloud security group's rule list evaluated per packet:
// there is no "established" tracking, so a reply is allowed only if a rule
// allows it. Non-IPv4 frames (ARP) always pass and are counted; malformed
// IPv4 frames are dropped and counted. A non-first IP fragment carries no
// ports, so it never matches a rule with destination ports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "firewall_rule_table.h"
#include "ipv4_view.h"
#include "ns3/error-model.h"
#include "ns3/net-device.h"
#include "ns3/traced-callback.h"

namespace ipsecsim::natt {

class LinkFirewall : public ns3::ErrorModel {
 public:
  static ns3::TypeId GetTypeId();

  // `linkName` names the link in reports, e.g. "worker-1/eth0".
  LinkFirewall(std::string linkName, Action defaultAction,
               FrameFormat format = FrameFormat::kEthernet);

  size_t AddRule(FirewallRule rule) { return rules_.Add(std::move(rule)); }
  const FirewallRuleTable& Rules() const { return rules_; }
  const std::string& LinkName() const { return linkName_; }

  uint64_t MalformedDropped() const { return malformedDropped_; }
  uint64_t NonIpv4Passed() const { return nonIpv4Passed_; }
  uint64_t Dropped() const;  // all drops: by rule, by default action, malformed

  // One line per rule that counted packets, then the default action and the
  // malformed frames, e.g.
  //   "rule 3 (deny proto 50) on link worker-1/eth0: 1234 packets, 5678 bytes"
  std::vector<std::string> Report() const;

 private:
  bool DoCorrupt(ns3::Ptr<ns3::Packet> frame) override;
  void DoReset() override;

  std::string linkName_;
  FrameFormat format_;
  FirewallRuleTable rules_;
  uint64_t malformedDropped_ = 0;
  uint64_t nonIpv4Passed_ = 0;
  std::vector<uint8_t> frameBytes_;
  // Fired for each dropped frame with the number of the rule that denied it
  // (0: the default action, -1: malformed).
  ns3::TracedCallback<ns3::Ptr<const ns3::Packet>, int> dropTrace_;
};

// Filters what `device` receives from its link, after any receive filter
// already there (receive_filter_chain.h). Throws std::invalid_argument when
// the device has no "ReceiveErrorModel" attribute.
void FilterReceivedBy(ns3::Ptr<LinkFirewall> firewall, ns3::Ptr<ns3::NetDevice> device);

// Filters both directions of the link between two devices, e.g. a node's NIC
// and its switch port.
void InstallOnLink(ns3::Ptr<LinkFirewall> firewall, ns3::Ptr<ns3::NetDevice> oneEnd,
                   ns3::Ptr<ns3::NetDevice> otherEnd);

}  // namespace ipsecsim::natt
