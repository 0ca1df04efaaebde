// Geneve (RFC 8926) header as OVN sends it between node IPs on UDP 6081:
// the 8-byte base header plus OVN's one 8-byte option (class 0x0102, type
// 0x80: logical ingress and egress port keys), followed by the inner
// Ethernet frame (protocol type 0x6558, Transparent Ethernet Bridging).
#pragma once

#include <ns3/header.h>

#include <cstdint>

#include "protocol_ports.h"

namespace ipsecsim::geneve {

constexpr uint16_t kUdpPort = ports::kGeneve;
constexpr uint16_t kProtocolTransparentEthernet = 0x6558;
constexpr uint16_t kOvnOptionClass = 0x0102;
constexpr uint8_t kOvnOptionType = 0x80;  // high bit: critical option
constexpr uint32_t kBaseHeaderLen = 8;
constexpr uint32_t kOvnOptionLen = 8;
constexpr uint32_t kInnerEthernetLen = 14;
// Outer IPv4 20 + UDP 8 + Geneve 8 + option 8 + inner Ethernet 14.
constexpr uint32_t kIpv4TunnelOverhead =
    20 + 8 + kBaseHeaderLen + kOvnOptionLen + kInnerEthernetLen;

class GeneveHeader : public ns3::Header {
 public:
  static ns3::TypeId GetTypeId();
  ns3::TypeId GetInstanceTypeId() const override;

  void SetVni(uint32_t vni) { vni_ = vni & 0xFFFFFF; }
  uint32_t GetVni() const { return vni_; }
  // OVN's option: logical ingress port (15 bits) and egress port (16 bits).
  void SetPorts(uint16_t ingress, uint16_t egress) {
    ingress_ = ingress & 0x7FFF;
    egress_ = egress;
  }
  uint16_t GetIngressPort() const { return ingress_; }
  uint16_t GetEgressPort() const { return egress_; }
  uint16_t GetProtocolType() const { return protocol_; }
  // False after Deserialize when the bytes were not a Geneve header OVN sends.
  bool IsValid() const { return valid_; }

  uint32_t GetSerializedSize() const override;
  void Serialize(ns3::Buffer::Iterator start) const override;
  uint32_t Deserialize(ns3::Buffer::Iterator start) override;
  void Print(std::ostream& os) const override;

 private:
  uint32_t vni_ = 0;
  uint16_t ingress_ = 0;
  uint16_t egress_ = 0;
  uint16_t protocol_ = kProtocolTransparentEthernet;
  uint8_t optionWords_ = kOvnOptionLen / 4;
  bool valid_ = true;
};

}  // namespace ipsecsim::geneve
