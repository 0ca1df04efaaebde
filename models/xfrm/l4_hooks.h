// The two IpL4Protocol objects XfrmStack inserts into Ipv4L3Protocol (and Ipv6L3Protocol):
// EspL4Protocol receives IP protocol 50, PolicyCheckedL4 stands in front of
// UDP/TCP/ICMP so that cleartext packets pass the inbound policy check.
#pragma once

#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv6-interface.h"

namespace ipsecsim::xfrm {

class XfrmStack;

class EspL4Protocol : public ns3::IpL4Protocol {
 public:
  static ns3::TypeId GetTypeId();
  explicit EspL4Protocol(XfrmStack* stack = nullptr) : m_stack(stack) {}

  int GetProtocolNumber() const override { return 50; }
  RxStatus Receive(ns3::Ptr<ns3::Packet> p, const ns3::Ipv4Header& header,
                   ns3::Ptr<ns3::Ipv4Interface> iface) override;
  RxStatus Receive(ns3::Ptr<ns3::Packet> p, const ns3::Ipv6Header& header,
                   ns3::Ptr<ns3::Ipv6Interface> iface) override;
  void SetDownTarget(DownTargetCallback cb) override { m_down = cb; }
  void SetDownTarget6(DownTargetCallback6 cb) override { m_down6 = cb; }
  DownTargetCallback GetDownTarget() const override { return m_down; }
  DownTargetCallback6 GetDownTarget6() const override { return m_down6; }

 protected:
  void DoDispose() override { m_stack = nullptr; }

 private:
  XfrmStack* m_stack;
  DownTargetCallback m_down;
  DownTargetCallback6 m_down6;
};

class PolicyCheckedL4 : public ns3::IpL4Protocol {
 public:
  static ns3::TypeId GetTypeId();
  PolicyCheckedL4() = default;
  PolicyCheckedL4(ns3::Ptr<ns3::IpL4Protocol> real, XfrmStack* stack)
      : m_real(real), m_stack(stack) {}

  ns3::Ptr<ns3::IpL4Protocol> Real() const { return m_real; }

  int GetProtocolNumber() const override { return m_real->GetProtocolNumber(); }
  RxStatus Receive(ns3::Ptr<ns3::Packet> p, const ns3::Ipv4Header& header,
                   ns3::Ptr<ns3::Ipv4Interface> iface) override;
  RxStatus Receive(ns3::Ptr<ns3::Packet> p, const ns3::Ipv6Header& header,
                   ns3::Ptr<ns3::Ipv6Interface> iface) override;
  void ReceiveIcmp(ns3::Ipv4Address icmpSource, uint8_t icmpTtl, uint8_t icmpType, uint8_t icmpCode,
                   uint32_t icmpInfo, ns3::Ipv4Address payloadSource,
                   ns3::Ipv4Address payloadDestination, const uint8_t payload[8]) override {
    m_real->ReceiveIcmp(icmpSource, icmpTtl, icmpType, icmpCode, icmpInfo, payloadSource,
                        payloadDestination, payload);
  }
  void ReceiveIcmp(ns3::Ipv6Address icmpSource, uint8_t icmpTtl, uint8_t icmpType, uint8_t icmpCode,
                   uint32_t icmpInfo, ns3::Ipv6Address payloadSource,
                   ns3::Ipv6Address payloadDestination, const uint8_t payload[8]) override {
    m_real->ReceiveIcmp(icmpSource, icmpTtl, icmpType, icmpCode, icmpInfo, payloadSource,
                        payloadDestination, payload);
  }
  // The real protocol's down target is the stack's shim; a new target set
  // here becomes what the shim sends through.
  void SetDownTarget(DownTargetCallback cb) override;
  void SetDownTarget6(DownTargetCallback6 cb) override;
  DownTargetCallback GetDownTarget() const override { return m_real->GetDownTarget(); }
  DownTargetCallback6 GetDownTarget6() const override { return m_real->GetDownTarget6(); }

 protected:
  void DoDispose() override {
    m_real = nullptr;
    m_stack = nullptr;
  }

 private:
  ns3::Ptr<ns3::IpL4Protocol> m_real;
  XfrmStack* m_stack = nullptr;
};

}  // namespace ipsecsim::xfrm
