#include "geneve_header.h"

namespace ipsecsim::geneve {

ns3::TypeId GeneveHeader::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("ipsecsim::GeneveHeader").SetParent<ns3::Header>().AddConstructor<GeneveHeader>();
  return tid;
}

ns3::TypeId GeneveHeader::GetInstanceTypeId() const { return GetTypeId(); }

uint32_t GeneveHeader::GetSerializedSize() const { return kBaseHeaderLen + optionWords_ * 4u; }

void GeneveHeader::Serialize(ns3::Buffer::Iterator i) const {
  // Ver 0 | Opt Len (4-byte words); O=0, C=1 because OVN's option is critical.
  i.WriteU8(uint8_t(kOvnOptionLen / 4));
  i.WriteU8(0x40);
  i.WriteHtonU16(kProtocolTransparentEthernet);
  i.WriteHtonU32(vni_ << 8);
  i.WriteHtonU16(kOvnOptionClass);
  i.WriteU8(kOvnOptionType);
  i.WriteU8(1);  // R=0, option data length in 4-byte words
  i.WriteHtonU32(uint32_t(ingress_) << 16 | egress_);
}

uint32_t GeneveHeader::Deserialize(ns3::Buffer::Iterator i) {
  const uint8_t verOpt = i.ReadU8();
  i.ReadU8();  // flags
  protocol_ = i.ReadNtohU16();
  vni_ = i.ReadNtohU32() >> 8;
  optionWords_ = verOpt & 0x3F;
  valid_ = (verOpt >> 6) == 0 && protocol_ == kProtocolTransparentEthernet &&
           optionWords_ == kOvnOptionLen / 4;
  if (!valid_) return kBaseHeaderLen;
  const uint16_t cls = i.ReadNtohU16();
  const uint8_t type = i.ReadU8();
  const uint8_t len = i.ReadU8() & 0x1F;
  const uint32_t ports = i.ReadNtohU32();
  valid_ = cls == kOvnOptionClass && type == kOvnOptionType && len == 1;
  ingress_ = uint16_t(ports >> 16) & 0x7FFF;
  egress_ = uint16_t(ports);
  return GetSerializedSize();
}

void GeneveHeader::Print(std::ostream& os) const {
  os << "Geneve vni=" << vni_ << " ovn-option ingress=" << ingress_ << " egress=" << egress_;
}

}  // namespace ipsecsim::geneve
