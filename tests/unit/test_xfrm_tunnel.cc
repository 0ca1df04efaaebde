// Tunnel-mode ESP (RFC 4303 §3.1.2) between two gateways, both outer and
// inner families, with and without UDP 4500 (RFC 3948): the wire lengths
// against the RFC byte arithmetic, the outer header's fields, and the
// receiver's checks on the inner packet. Frames are read from the wire.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "esp_codec.h"
#include "internet_checksum.h"
#include "mtu_arithmetic.h"
#include "tunnel_headers.h"
#include "tunnel_world.h"

namespace {

using namespace ipsecsim::xfrm;
using ipsecsim::test::Family;
using ipsecsim::test::TunnelCase;
using ipsecsim::test::TunnelWorld;
namespace mtu = ipsecsim::sim::mtu;

uint8_t Protocol(const std::vector<uint8_t>& ip) { return ip[0] >> 4 == 4 ? ip[9] : ip[6]; }
uint32_t Length(const std::vector<uint8_t>& ip) {
  return ip[0] >> 4 == 4 ? uint32_t(ip[2] << 8 | ip[3]) : 40u + uint32_t(ip[4] << 8 | ip[5]);
}

// 1000 bytes of UDP payload: the inner packet is 1028 (IPv4) or 1048 (IPv6)
// bytes; ESP adds SPI + sequence 8, IV 8, padding to (payload + 2) % 4 == 0
// (2 here for both), pad length and next header 2, ICV 16; UDP 4500 adds 8,
// the outer header 20 or 40.
uint32_t ExpectedLength(const TunnelCase& c) {
  const uint32_t inner = c.inner == Family::kIpv4 ? 1028 : 1048;
  return (c.outer == Family::kIpv4 ? 20 : 40) + 8 + 8 + inner + 2 + 2 + 16 + (c.encap ? 8 : 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xfrm_tunnel)

BOOST_DATA_TEST_CASE(inner_packets_cross_the_tunnel_with_exact_wire_lengths,
                     boost::unit_test::data::make(ipsecsim::test::kTunnelCases), c) {
  BOOST_TEST_CONTEXT(c.Name()) {
    TunnelWorld w(c);
    w.AddPolicies();
    w.AddStates();
    w.Send(1000, 3);
    BOOST_TEST(w.received == (std::vector<uint32_t>{1000, 1000, 1000}));
    for (const ns3::Address& from : w.senders) {
      const ns3::Address source =
          c.inner == Family::kIpv4
              ? ns3::Address(ns3::InetSocketAddress::ConvertFrom(from).GetIpv4())
              : ns3::Address(ns3::Inet6SocketAddress::ConvertFrom(from).GetIpv6());
      BOOST_TEST((source == w.Site(0)), "delivered from the inner source address");
    }
    BOOST_REQUIRE_EQUAL(w.wire.size(), 3u);
    const uint8_t innerHeader = c.inner == Family::kIpv4 ? 20 : 40;
    const auto family =
        c.outer == Family::kIpv4 ? mtu::UnderlayFamily::kIpv4 : mtu::UnderlayFamily::kIpv6;
    const auto protection = c.encap ? mtu::Protection::kEspInUdp : mtu::Protection::kEsp;
    for (const auto& ip : w.wire) {
      BOOST_TEST((ip[0] >> 4) == (c.outer == Family::kIpv4 ? 4 : 6));
      BOOST_TEST(Protocol(ip) == (c.encap ? 17 : 50));
      BOOST_TEST(Length(ip) == ExpectedLength(c));
      BOOST_TEST(Length(ip) == mtu::EspPacketLength(1000 + 8 + innerHeader, innerHeader, protection,
                                                    mtu::EspMode::kTunnel, family));
    }
    BOOST_TEST(w.xfrm[1]->Stats().inDecrypted == 3u);
    BOOST_TEST(w.xfrm[1]->Counters().Get(ipsecsim::XfrmStat::kInTmplMismatch) == 0u);
  }
}

BOOST_AUTO_TEST_CASE(xfrm_state_mtu_is_the_largest_packet_the_byte_arithmetic_fits) {
  int checked = 0;
  for (auto mode : {mtu::EspMode::kTransport, mtu::EspMode::kTunnel}) {
    for (auto family : {mtu::UnderlayFamily::kIpv4, mtu::UnderlayFamily::kIpv6}) {
      for (auto p : {mtu::Protection::kEsp, mtu::Protection::kEspInUdp}) {
        const uint32_t header = mtu::OuterIpHeader(family);
        for (uint32_t route = 1280; route <= 9001; ++route) {
          const uint32_t largest = mtu::XfrmStateMtu(route, p, mode, family);
          if (mtu::EspPacketLength(largest, header, p, mode, family) > route ||
              mtu::EspPacketLength(largest + 1, header, p, mode, family) <= route) {
            BOOST_ERROR("route MTU " << route << ": " << largest);
          }
          ++checked;
        }
      }
    }
  }
  BOOST_TEST(checked == 8 * (9001 - 1280 + 1));
  // The numbers at 1500, by hand: tunnel IPv4 ESP (1500 - 20 - 8 - 8 - 16 - 2)
  // rounded down so that payload + 2 is a multiple of 4.
  BOOST_TEST(mtu::XfrmStateMtu(1500, mtu::Protection::kEsp, mtu::EspMode::kTunnel) == 1446u);
  BOOST_TEST(mtu::XfrmStateMtu(1500, mtu::Protection::kEspInUdp, mtu::EspMode::kTunnel) == 1438u);
  BOOST_TEST(mtu::XfrmStateMtu(1500, mtu::Protection::kEsp, mtu::EspMode::kTunnel,
                               mtu::UnderlayFamily::kIpv6) == 1426u);
  BOOST_TEST(mtu::XfrmStateMtu(1500, mtu::Protection::kEspInUdp, mtu::EspMode::kTunnel,
                               mtu::UnderlayFamily::kIpv6) == 1418u);
}

BOOST_AUTO_TEST_CASE(the_largest_packet_the_state_mtu_allows_fits_the_link_and_one_more_does_not) {
  // The point-to-point link's MTU is 1500. Inner IPv4 over outer IPv4, ESP:
  // XfrmStateMtu = ((1500 - 36 - 16) & ~3) - 2 = 1446 bytes of inner packet.
  constexpr uint32_t kLargest =
      mtu::XfrmStateMtu(1500, mtu::Protection::kEsp, mtu::EspMode::kTunnel);
  static_assert(kLargest == 1446);
  TunnelWorld w({Family::kIpv4, Family::kIpv4, false});
  w.AddPolicies();
  w.AddStates();
  w.Send(kLargest - 28, 1);
  w.Send(kLargest - 28 + 1, 1);
  BOOST_REQUIRE(!w.wire.empty());
  BOOST_TEST(Length(w.wire[0]) == 1500u);
  // One byte more makes a 1504-byte ESP packet, which never leaves whole.
  for (const auto& ip : w.wire) BOOST_TEST(Length(ip) <= 1500u);
}

BOOST_AUTO_TEST_CASE(the_outer_ipv4_header_copies_dscp_ecn_and_df_as_linux_does) {
  TunnelWorld w({Family::kIpv4, Family::kIpv4, false});
  w.AddPolicies();
  w.AddStates();
  w.Send(100, 1, 0xB8 | 0x03);  // EF, CE: the outer header gets EF and ECT(0)
  BOOST_REQUIRE_EQUAL(w.wire.size(), 1u);
  const auto& ip = w.wire[0];
  BOOST_TEST(ip[1] == (0xB8 | 0x02));
  BOOST_TEST((ip[6] & 0x40) != 0, "DF copied from the inner header");
  BOOST_TEST((ip[4] == 0 && ip[5] == 0), "ip_select_ident: id 0 under DF");
  BOOST_TEST(ip[8] == 64);
  BOOST_TEST(w.received == (std::vector<uint32_t>{100}));
}

BOOST_AUTO_TEST_CASE(nopmtudisc_and_dont_encap_dscp_change_the_outer_header) {
  TunnelWorld w({Family::kIpv4, Family::kIpv4, false});
  w.AddPolicies();
  TunnelFlags flags;
  flags.noPmtuDisc = true;
  flags.dontEncapDscp = true;
  flags.noEcn = true;
  w.AddStates(flags);
  w.Send(100, 1, 0xB8 | 0x01);
  BOOST_REQUIRE_EQUAL(w.wire.size(), 1u);
  BOOST_TEST(w.wire[0][1] == 0);
  BOOST_TEST((w.wire[0][6] & 0x40) == 0);
  BOOST_TEST(w.received == (std::vector<uint32_t>{100}));
}

BOOST_AUTO_TEST_CASE(a_tunnel_packet_without_inbound_policy_is_dropped_as_no_policy) {
  TunnelWorld w({Family::kIpv4, Family::kIpv4, false});
  w.xfrm[0]->AddPolicy(w.SitePolicy(0, 0, Direction::kOut));
  w.AddStates();
  w.Send(100, 2);
  BOOST_TEST(w.received.empty());
  BOOST_TEST(w.wire.size() == 2u);
  BOOST_TEST(w.xfrm[1]->Counters().Get(ipsecsim::XfrmStat::kInNoPols) == 2u);
}

BOOST_AUTO_TEST_CASE(an_inbound_policy_that_wants_transport_or_another_peer_rejects_the_tunnel) {
  for (int variant = 0; variant < 3; ++variant) {
    TunnelWorld w({Family::kIpv4, Family::kIpv4, false});
    w.xfrm[0]->AddPolicy(w.SitePolicy(0, 0, Direction::kOut));
    Policy in = w.SitePolicy(1, 0, Direction::kIn);
    if (variant == 0) in.tmpl.mode = XfrmMode::kTransport;
    if (variant == 1) in.tmpl.peer = ns3::Ipv4Address("10.1.0.99");
    if (variant == 2) in.action = PolicyAction::kBypass;
    w.xfrm[1]->AddPolicy(in);
    w.AddStates();
    w.Send(100, 2);
    BOOST_TEST(w.received.empty(), "variant " << variant);
    BOOST_TEST(w.xfrm[1]->Counters().Get(ipsecsim::XfrmStat::kInTmplMismatch) == 2u);
  }
}

BOOST_AUTO_TEST_CASE(a_transport_policy_does_not_pick_a_tunnel_state) {
  TunnelWorld w({Family::kIpv4, Family::kIpv4, false});
  Policy out = w.SitePolicy(0, 0, Direction::kOut);
  out.tmpl = SaTemplate{};
  out.tmpl.peer = w.Gateway(1);
  w.xfrm[0]->AddPolicy(out);
  w.AddStates();
  w.Send(100, 1);
  BOOST_TEST(w.wire.empty());
  BOOST_TEST(w.xfrm[0]->Counters().Get(ipsecsim::XfrmStat::kOutNoStates) == 1u);
}

BOOST_AUTO_TEST_CASE(a_decrypted_payload_that_is_not_an_ip_packet_is_a_mode_error) {
  TunnelWorld w({Family::kIpv4, Family::kIpv4, false});
  w.AddPolicies();
  w.AddStates();
  std::string error;
  auto key = ipsecsim::esp::GcmKey::FromKeymat(w.State(0).keymat, &error);
  BOOST_REQUIRE(key);
  const ipsecsim::Bytes junk(60, 0x45);  // looks like IPv4 but claims 0x4545 bytes
  auto iface = w.hosts.Get(1)->GetObject<ns3::Ipv4L3Protocol>()->GetInterface(1);
  ns3::Ipv4Header outer;
  outer.SetSource(w.gateway4[0]);
  outer.SetDestination(w.gateway4[1]);
  outer.SetProtocol(50);
  uint64_t seq = 1;
  for (uint8_t nextHeader : {uint8_t(4), uint8_t(41), uint8_t(17)}) {
    const ipsecsim::Bytes esp =
        key->Seal(TunnelWorld::kSpiAtoB, seq++, false, 0, nextHeader, junk.data(), junk.size());
    w.xfrm[1]->ReceiveEsp(ns3::Create<ns3::Packet>(esp.data(), esp.size()), outer, iface);
  }
  BOOST_TEST(w.xfrm[1]->Counters().Get(ipsecsim::XfrmStat::kInStateModeError) == 3u);
  BOOST_TEST(w.xfrm[1]->Stats().inDecrypted == 0u);
}

BOOST_AUTO_TEST_CASE(ecn_and_dscp_follow_the_kernel_on_both_ends) {
  // INET_ECN_encapsulate: CE inside becomes ECT(0) outside; other ECN bits are copied.
  BOOST_TEST(EcnEncapsulate(0xB8, 0x03) == 0xBA);
  BOOST_TEST(EcnEncapsulate(0xB8, 0x01) == 0xB9);
  BOOST_TEST(OuterDsField(0x2B, TunnelFlags{}) == 0x2A);
  TunnelFlags noEcn;
  noEcn.noEcn = true;
  BOOST_TEST(OuterDsField(0x2B, noEcn) == 0x28);
  // Decapsulation: CE outside marks an ECT inner packet CE, never a Not-ECT one.
  for (const auto& [innerDs, outerDs, expected] :
       std::vector<std::tuple<uint8_t, uint8_t, uint8_t>>{
           {0x02, 0x03, 0x03}, {0x00, 0x03, 0x00}, {0x01, 0x02, 0x01}}) {
    uint8_t ip[20] = {};
    WriteIpv4Header(ip, ns3::Ipv4Address("192.0.2.1"), ns3::Ipv4Address("192.0.2.2"), 17, 20,
                    IpFields{innerDs, 64, true, 0});
    auto inner = ParseInnerPacket(kProtoIpip, ip, sizeof ip);
    BOOST_REQUIRE(inner);
    DecapsulateDsField(ip, *inner, outerDs, TunnelFlags{});
    BOOST_TEST(ip[1] == expected);
    BOOST_TEST(InternetChecksum(ip, sizeof ip) == 0, "the header checksum still holds");
  }
}

BOOST_AUTO_TEST_CASE(inner_packets_shorter_than_their_header_says_are_refused) {
  uint8_t ip[40] = {};
  WriteIpv4Header(ip, ns3::Ipv4Address("192.0.2.1"), ns3::Ipv4Address("192.0.2.2"), 17, 40,
                  IpFields{});
  BOOST_TEST(ParseInnerPacket(kProtoIpip, ip, 40).has_value());
  BOOST_TEST(!ParseInnerPacket(kProtoIpip, ip, 39).has_value());
  BOOST_TEST(!ParseInnerPacket(kProtoIpv6, ip, 40).has_value());  // version 4 under 41
  BOOST_TEST(!ParseInnerPacket(17, ip, 40).has_value());
  uint8_t ip6[48] = {};
  WriteIpv6Header(ip6, ns3::Ipv6Address("fd00::1"), ns3::Ipv6Address("fd00::2"), 17, 8, IpFields{});
  auto inner = ParseInnerPacket(kProtoIpv6, ip6, sizeof ip6);
  BOOST_REQUIRE(inner);
  BOOST_TEST(inner->length == 48u);
  BOOST_TEST(!ParseInnerPacket(kProtoIpv6, ip6, 47).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
