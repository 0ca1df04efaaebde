#include "l4_hooks.h"

#include "xfrm_stack.h"

namespace ipsecsim::xfrm {

ns3::TypeId EspL4Protocol::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("ipsecsim::xfrm::EspL4Protocol")
                               .SetParent<ns3::IpL4Protocol>()
                               .SetGroupName("Ipsecsim");
  return tid;
}

ns3::IpL4Protocol::RxStatus EspL4Protocol::Receive(ns3::Ptr<ns3::Packet> p,
                                                   const ns3::Ipv4Header& header,
                                                   ns3::Ptr<ns3::Ipv4Interface> iface) {
  if (m_stack) m_stack->ReceiveEsp(p, header, iface);
  // Always OK: a dropped ESP packet must not trigger an ICMP unreachable.
  return RX_OK;
}

ns3::IpL4Protocol::RxStatus EspL4Protocol::Receive(ns3::Ptr<ns3::Packet> p,
                                                   const ns3::Ipv6Header& header,
                                                   ns3::Ptr<ns3::Ipv6Interface> iface) {
  if (m_stack) m_stack->ReceiveEsp(p, header, iface);
  return RX_OK;
}

ns3::TypeId PolicyCheckedL4::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("ipsecsim::xfrm::PolicyCheckedL4")
                               .SetParent<ns3::IpL4Protocol>()
                               .SetGroupName("Ipsecsim");
  return tid;
}

ns3::IpL4Protocol::RxStatus PolicyCheckedL4::Receive(ns3::Ptr<ns3::Packet> p,
                                                     const ns3::Ipv4Header& header,
                                                     ns3::Ptr<ns3::Ipv4Interface> iface) {
  if (!m_stack) return m_real->Receive(p, header, iface);
  return m_stack->ReceiveClear(m_real, p, header, iface);
}

ns3::IpL4Protocol::RxStatus PolicyCheckedL4::Receive(ns3::Ptr<ns3::Packet> p,
                                                     const ns3::Ipv6Header& header,
                                                     ns3::Ptr<ns3::Ipv6Interface> iface) {
  if (!m_stack) return m_real->Receive(p, header, iface);
  return m_stack->ReceiveClear(m_real, p, header, iface);
}

void PolicyCheckedL4::SetDownTarget6(DownTargetCallback6 cb) {
  if (m_stack) {
    m_stack->SetLowerTarget6(uint8_t(m_real->GetProtocolNumber()), cb);
  } else {
    m_real->SetDownTarget6(cb);
  }
}

void PolicyCheckedL4::SetDownTarget(DownTargetCallback cb) {
  if (m_stack) {
    m_stack->SetLowerTarget(uint8_t(m_real->GetProtocolNumber()), cb);
  } else {
    m_real->SetDownTarget(cb);
  }
}

}  // namespace ipsecsim::xfrm
