#include "packet_bytes.h"

namespace ipsecsim::xfrm {

NS_OBJECT_ENSURE_REGISTERED(RawBytesHeader);

void ReplacePacketBytes(ns3::Ptr<ns3::Packet> p, const uint8_t* data, size_t len, size_t headroom) {
  p->RemoveAtStart(p->GetSize());
  if (headroom != 0) {
    // A full ns3::Buffer grows at the front to exactly the size needed, and
    // free bytes in front of ones already written count as taken once the
    // packet is copied (Ipv4L3Protocol::Send copies it). So the empty buffer
    // is first grown at its end by headroom + len bytes, which are dropped
    // again; the header below then fills the last len of them in place and
    // the headroom in front stays unwritten.
    const uint32_t room = uint32_t(headroom + len);
    p->AddPaddingAtEnd(room);
    p->RemoveAtStart(room);
  }
  p->AddHeader(RawBytesHeader(data, len));
}

ns3::TypeId RawBytesHeader::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("ipsecsim::xfrm::RawBytesHeader")
                               .SetParent<ns3::Header>()
                               .SetGroupName("Ipsecsim")
                               .AddConstructor<RawBytesHeader>();
  return tid;
}

uint32_t RawBytesHeader::Deserialize(ns3::Buffer::Iterator) { return m_len; }

uint32_t RawBytesHeader::Deserialize(ns3::Buffer::Iterator start, ns3::Buffer::Iterator end) {
  m_data = nullptr;
  m_len = end.GetDistanceFrom(start);
  return m_len;
}

void RawBytesHeader::Print(std::ostream& os) const { os << m_len << " bytes"; }

}  // namespace ipsecsim::xfrm
