// Replacing the bytes an ns3::Packet carries, for the ESP data path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>

#include "ns3/header.h"
#include "ns3/packet.h"

namespace ipsecsim::xfrm {

// Makes p carry exactly these len bytes. The packet object is kept, so its uid
// and packet tags survive (ns-3 has no way to give a new packet an old uid).
// headroom: free bytes to keep in front of them for the headers added later
// (IPv4, link layer). Without it ns-3 reallocates and copies the whole packet
// for each of those headers.
void ReplacePacketBytes(ns3::Ptr<ns3::Packet> p, const uint8_t* data, size_t len,
                        size_t headroom = 0);

// Bytes added with Packet::AddHeader, which serializes straight into the
// packet's buffer: one copy, where Create<Packet>(data) + AddAtEnd made two and
// a temporary packet. It points at the caller's bytes, so it is only for
// writing; Deserialize (used by Packet::Print) just measures.
class RawBytesHeader : public ns3::Header {
 public:
  static ns3::TypeId GetTypeId();
  RawBytesHeader() = default;
  RawBytesHeader(const uint8_t* data, size_t len) : m_data(data), m_len(uint32_t(len)) {}

  ns3::TypeId GetInstanceTypeId() const override { return GetTypeId(); }
  uint32_t GetSerializedSize() const override { return m_len; }
  void Serialize(ns3::Buffer::Iterator start) const override { start.Write(m_data, m_len); }
  uint32_t Deserialize(ns3::Buffer::Iterator start) override;
  uint32_t Deserialize(ns3::Buffer::Iterator start, ns3::Buffer::Iterator end) override;
  void Print(std::ostream& os) const override;

 private:
  const uint8_t* m_data = nullptr;
  uint32_t m_len = 0;
};

}  // namespace ipsecsim::xfrm
