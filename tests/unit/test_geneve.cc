// The Geneve header OVN sends: RFC 8926 layout byte for byte, the 58 bytes of
// IPv4 tunnel overhead, and rejection of what OVN would not send.
#include <ns3/packet.h>

#include <boost/test/unit_test.hpp>

#include "bytes.h"
#include "geneve_header.h"

using namespace ipsecsim;
using geneve::GeneveHeader;

namespace {
Bytes Serialize(const GeneveHeader& h) {
  ns3::Ptr<ns3::Packet> p = ns3::Create<ns3::Packet>();
  p->AddHeader(h);
  Bytes out(p->GetSize());
  p->CopyData(out.data(), out.size());
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(geneve_header)

BOOST_AUTO_TEST_CASE(wire_layout_matches_rfc_8926_with_ovns_option) {
  GeneveHeader h;
  h.SetVni(0x123456);
  h.SetPorts(0x0001, 0x0203);
  // Ver 0, Opt Len 2 words | C bit | protocol 0x6558 | VNI | reserved;
  // option class 0x0102, type 0x80 (critical), length 1 word, then the data.
  BOOST_TEST(ToHex(Serialize(h)) ==
             "024065581234560001028001"
             "00010203");
  BOOST_TEST(h.GetSerializedSize() == 16u);
  // Outer IPv4 20 + UDP 8 + Geneve 16 + inner Ethernet 14.
  BOOST_TEST(geneve::kIpv4TunnelOverhead == 58u);
}

BOOST_AUTO_TEST_CASE(round_trip) {
  GeneveHeader h;
  h.SetVni(7);
  h.SetPorts(3, 0x1ff);
  ns3::Ptr<ns3::Packet> p = ns3::Create<ns3::Packet>(100);
  p->AddHeader(h);
  GeneveHeader back;
  BOOST_TEST(p->RemoveHeader(back) == 16u);
  BOOST_TEST(back.IsValid());
  BOOST_TEST(back.GetVni() == 7u);
  BOOST_TEST(back.GetIngressPort() == 3u);
  BOOST_TEST(back.GetEgressPort() == 0x1ffu);
  BOOST_TEST(p->GetSize() == 100u);
}

BOOST_AUTO_TEST_CASE(headers_ovn_does_not_send_are_invalid) {
  const char* bad[] = {
      "424065581234560001028001"
      "00010203",  // version 1
      "024008001234560001028001"
      "00010203",  // protocol IPv4 instead of Ethernet
      "014065581234560001028001"
      "00010203",  // option length 1 word
      "024065581234560001038001"
      "00010203",  // option class 0x0103
      "024065581234560001028101"
      "00010203",  // option type 0x81
  };
  for (const char* hex : bad) {
    const Bytes b = *ParseHex(hex);
    ns3::Ptr<ns3::Packet> p = ns3::Create<ns3::Packet>(b.data(), b.size());
    GeneveHeader h;
    p->RemoveHeader(h);
    BOOST_TEST_CONTEXT(hex) { BOOST_TEST(!h.IsValid()); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
