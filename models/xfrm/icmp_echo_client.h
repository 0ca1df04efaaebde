// A ping that goes through the node's ICMP protocol, and so through xfrm.
// ns-3's V4Ping uses a raw socket, which sends through Ipv4 directly and
// would bypass the xfrm shim (a Linux ping socket does not). Echo requests
// leave through the ICMP protocol's down target; ns-3's own ICMP answers
// them on the peer; replies are recognised on the node's XfrmStack "Deliver"
// trace, so the node needs an XfrmStack.
#pragma once

#include <map>

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

namespace ipsecsim::xfrm {

class IcmpEchoClient : public ns3::Application {
 public:
  static ns3::TypeId GetTypeId();
  IcmpEchoClient() = default;

  uint32_t Sent() const { return m_sent; }
  uint32_t Received() const { return m_received; }

 private:
  void StartApplication() override;
  void StopApplication() override;
  void SendEcho();
  void OnDeliver(ns3::Ptr<const ns3::Packet> segment, const ns3::Ipv4Header& header,
                 bool decrypted);

  ns3::Ipv4Address m_remote;
  ns3::Time m_interval;
  uint32_t m_count = 0;
  uint32_t m_size = 56;
  uint16_t m_identifier = 0;
  uint32_t m_sent = 0;
  uint32_t m_received = 0;
  std::map<uint16_t, ns3::Time> m_sentAt;
  ns3::EventId m_next;
  bool m_connected = false;
  ns3::TracedCallback<ns3::Time> m_rttTrace;
};

}  // namespace ipsecsim::xfrm
