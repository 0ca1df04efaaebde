// A source NAT middlebox with port translation (NAPT), placed in the wire
// between a host and the rest of the underlay ("bump in the wire").
//
// The NAT is an ns-3 node with two CSMA devices and no IP stack. Promiscuous
// protocol handlers on both devices see every frame and the box forwards what
// it translates by SendFrom on the other device:
//   - inside -> outside, IPv4 UDP/TCP: source address and port become the
//     public address and the mapping's public port; the source MAC becomes
//     the outside device's, so the switch learns the public address there;
//   - outside -> inside, IPv4 UDP/TCP to the public address: the mapping's
//     inside address, port and MAC become the destination;
//   - ARP: requests for the public address are answered by the box; other ARP
//     (and any non-IPv4 frame) is bridged unchanged, so the inside host keeps
//     its own address and resolves its peers as before, with no route change.
// Checksums are adjusted incrementally (address_rewrite.h).
//
// What it drops, and counts (NaptCounters):
//   - ESP (IP protocol 50) in both directions: ESP has no ports to map and,
//     like cloud NAT gateways, this NAT maps only UDP and TCP (NAT-T exists
//     for that: RFC 3948 puts ESP in UDP 4500);
//   - other protocols (ICMP included), IP fragments (it does not reassemble),
//     malformed packets;
//   - inbound packets to a public port without a live mapping (never mapped,
//     or expired), or from another remote endpoint than the mapping's;
//   - packets from inside to the public address (no hairpinning).
// Not modelled: ALGs, TCP state (a TCP mapping lives until idle like UDP),
// ICMP error translation, several public addresses, port-block allocation.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ipv4_view.h"
#include "napt_table.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

namespace ipsecsim::natt {

struct NaptCounters {
  uint64_t outboundTranslated = 0;
  uint64_t inboundTranslated = 0;
  uint64_t inboundNoMapping = 0;
  uint64_t inboundExpiredMapping = 0;
  uint64_t inboundWrongRemote = 0;
  uint64_t inboundNotForPublicAddress = 0;
  uint64_t espDropped = 0;
  uint64_t unsupportedProtocolDropped = 0;
  uint64_t fragmentsDropped = 0;
  uint64_t malformedDropped = 0;
  uint64_t portsExhaustedDropped = 0;
  uint64_t hairpinDropped = 0;
  uint64_t arpAnswered = 0;
  uint64_t nonIpv4Bridged = 0;
};

class NaptBox : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId();
  NaptBox() = default;

  // Starts translating between two devices of one node (which must have no
  // IP stack on them). Attributes must be set before.
  void Install(ns3::Ptr<ns3::NetDevice> inside, ns3::Ptr<ns3::NetDevice> outside,
               ns3::Ipv4Address publicAddress);

  ns3::Ipv4Address PublicAddress() const { return publicAddress_; }
  const NaptCounters& Counters() const { return counters_; }
  uint64_t MappingsCreated() const { return table_ ? table_->CreatedCount() : 0; }
  uint64_t MappingsExpired() const { return table_ ? table_->ExpiredCount() : 0; }
  std::vector<NaptMapping> Mappings() const;
  // Non-zero counters as "nat <public address>: <counter> <value>" lines.
  std::vector<std::string> Report() const;

 private:
  void DoDispose() override;
  void FromInside(ns3::Ptr<ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> packet,
                  uint16_t protocol, const ns3::Address& from, const ns3::Address& to,
                  ns3::NetDevice::PacketType type);
  void FromOutside(ns3::Ptr<ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> packet,
                   uint16_t protocol, const ns3::Address& from, const ns3::Address& to,
                   ns3::NetDevice::PacketType type);
  void Outbound(std::vector<uint8_t>& bytes, ns3::Mac48Address from, ns3::Mac48Address to);
  void Inbound(std::vector<uint8_t>& bytes, ns3::Mac48Address from, ns3::Mac48Address to,
               ns3::NetDevice::PacketType type);
  bool AnswerArpForPublicAddress(ns3::Ptr<const ns3::Packet> packet);
  // Shared checks of both directions; false when the packet was dropped.
  bool Translatable(const std::vector<uint8_t>& bytes, Ipv4View* view, const char* direction);
  void Drop(const std::vector<uint8_t>& bytes, const std::string& reason);
  void ScheduleExpiry();
  void ExpireIdleMappings();

  ns3::Time udpIdleTimeout_;
  ns3::Time tcpIdleTimeout_;
  bool inboundRefresh_ = false;
  bool portPreservation_ = true;
  uint16_t firstPort_ = 1024;
  uint16_t lastPort_ = 65535;

  ns3::Ptr<ns3::NetDevice> inside_;
  ns3::Ptr<ns3::NetDevice> outside_;
  ns3::Ipv4Address publicAddress_;
  std::unique_ptr<NaptTable> table_;
  std::set<ns3::Mac48Address> insideMacs_;
  NaptCounters counters_;
  ns3::EventId expiryEvent_;
  ns3::TracedCallback<ns3::Ptr<const ns3::Packet>, const std::string&> dropTrace_;
  ns3::TracedCallback<uint16_t> mappingCreatedTrace_;  // public port
  ns3::TracedCallback<uint16_t> mappingExpiredTrace_;  // public port
};

}  // namespace ipsecsim::natt
