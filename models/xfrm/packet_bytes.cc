#include "packet_bytes.h"

namespace ipsecsim::xfrm {

NS_OBJECT_ENSURE_REGISTERED(RawBytesHeader);

void ReplacePacketBytes(ns3::Ptr<ns3::Packet> p, const uint8_t* data, size_t len) {
  p->RemoveAtStart(p->GetSize());
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
