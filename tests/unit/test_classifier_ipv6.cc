// The wire oracle's classifier on an IPv6 underlay: Geneve, ESP, ESP in UDP
// 4500 and IKE behind the 40-byte IPv6 header and its extension headers
// (RFC 8200 §4), Fragment headers reassembled per channel (§4.5), and
// malformed packets counted, never read past their end. Packets are built by
// hand here, byte by byte.
#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "esp_sa.h"
#include "flow_marker.h"
#include "mtu_arithmetic.h"
#include "packet_classifier.h"

using namespace ipsecsim;
using harness::Classified;
using harness::PacketClassifier;

namespace {

constexpr int kFlow = 7;
constexpr uint32_t kSpi = 0x0a0b0c0d;
constexpr uint8_t kUdp = 17, kEsp = 50, kHopByHop = 0, kFragment = 44, kDestOptions = 60;

Bytes Keymat() {
  return *ParseHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
      "cafebabe");
}

void Append(Bytes& to, const Bytes& more) {
  const size_t at = to.size();
  to.resize(at + more.size());
  std::copy(more.begin(), more.end(), to.begin() + long(at));
}
void PutU16(Bytes& b, size_t at, uint32_t v) {
  b[at] = uint8_t(v >> 8);
  b[at + 1] = uint8_t(v);
}

// The IPv4-mapped form of 10.0.0.<last>, so the IPv4 packets below share their
// address bytes with the IPv6 ones.
Bytes Address(uint8_t last) {
  Bytes a(16, 0);
  a[10] = a[11] = 0xFF;
  a[12] = 10;
  a[15] = last;
  return a;
}

Bytes Ipv6(uint8_t nextHeader, const Bytes& payload) {
  Bytes p = {0x60, 0, 0, 0, 0, 0, nextHeader, 64};
  PutU16(p, 4, uint32_t(payload.size()));
  Append(p, Address(1));
  Append(p, Address(2));
  Append(p, payload);
  return p;
}

Bytes Ipv4(uint8_t proto, uint16_t id, uint32_t offset, bool more, const Bytes& payload) {
  Bytes p = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
  PutU16(p, 2, uint32_t(20 + payload.size()));
  PutU16(p, 4, id);
  PutU16(p, 6, (more ? 0x2000 : 0) | offset / 8);
  Append(p, payload);
  return p;
}

// An 8-byte Hop-by-Hop or Destination Options header: PadN over its 6 option bytes.
Bytes OptionsHeader(uint8_t nextHeader) { return {nextHeader, 0, 1, 4, 0, 0, 0, 0}; }

Bytes FragmentHeader(uint8_t nextHeader, uint32_t offset, bool more, uint32_t id) {
  Bytes h = {nextHeader,       0,          0, 0, uint8_t(id >> 24), uint8_t(id >> 16),
             uint8_t(id >> 8), uint8_t(id)};
  PutU16(h, 2, offset | (more ? 1 : 0));
  return h;
}

Bytes Udp(uint16_t sport, uint16_t dport, const Bytes& payload) {
  Bytes u = {0, 0, 0, 0, 0, 0, 0, 0};
  PutU16(u, 0, sport);
  PutU16(u, 2, dport);
  PutU16(u, 4, uint32_t(8 + payload.size()));
  Append(u, payload);
  return u;
}

// Geneve's UDP 6081 segment: Geneve 8 + OVN option 8, inner Ethernet 14,
// inner IPv4 20 + UDP 8 (zeros: the classifier reads only the marker), then
// the flow's marked payload.
Bytes GeneveSegment() {
  Bytes tunnel(16 + 14 + 28, 0);
  Append(tunnel, sim::MarkedPayload(kFlow, 200));
  return Udp(6081, 6081, tunnel);
}

Bytes Esp(const Bytes& payload, uint8_t nextHeader = kUdp) {
  esp::SaConfig config;
  config.spi = kSpi;
  config.keymat = Keymat();
  std::string error;
  auto sa = esp::OutboundSa::Create(config, &error);
  BOOST_REQUIRE_MESSAGE(sa, error);
  return *sa->Protect(nextHeader, payload.data(), payload.size());
}

PacketClassifier WithKey() {
  PacketClassifier c;
  c.AddKey(kSpi, Keymat());
  return c;
}

// `fragmentable` cut into k IPv6 fragments, all but the last a multiple of 8 bytes.
std::vector<Bytes> Ipv6Fragments(uint8_t nextHeader, const Bytes& fragmentable, size_t k,
                                 uint32_t id) {
  const size_t step = (fragmentable.size() / k + 7) / 8 * 8;
  std::vector<Bytes> out;
  for (size_t at = 0; at < fragmentable.size(); at += step) {
    const size_t end = std::min(fragmentable.size(), at + step);
    Bytes piece = FragmentHeader(nextHeader, uint32_t(at), end < fragmentable.size(), id);
    piece.insert(piece.end(), fragmentable.begin() + long(at), fragmentable.begin() + long(end));
    out.push_back(Ipv6(kFragment, piece));
  }
  BOOST_REQUIRE(out.size() == k);
  return out;
}

bool Classify(PacketClassifier& c, const Bytes& packet, Classified* out, uint32_t channel = 0) {
  return c.Classify(packet.data(), packet.size(), out, channel);
}

void CheckProtected(const Classified& c, const std::string& cls) {
  BOOST_TEST(c.cls == cls);
  BOOST_TEST(c.protectedFlows == std::vector<int>{kFlow});
  BOOST_TEST(c.clearFlows.empty());
  BOOST_TEST(!c.undecryptable);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(classifier_ipv6)

// Tunnel mode (RFC 4303 §3.1.2): ESP carries a whole IP packet, next header 4
// or 41. The marker is found in the inner packet and the wire bytes are the
// outer packet's, by the RFC arithmetic.
BOOST_AUTO_TEST_CASE(tunnel_mode_esp_is_protected_in_either_outer_family) {
  namespace mtu = sim::mtu;
  const Bytes innerV4 = Ipv4(kUdp, 1, 0, false, Udp(40000, 7000, sim::MarkedPayload(kFlow, 200)));
  const Bytes innerV6 = Ipv6(kUdp, Udp(40000, 7000, sim::MarkedPayload(kFlow, 200)));
  struct Case {
    Bytes packet;
    const char* cls;
    uint32_t expected;
  };
  const Case cases[] = {
      {Ipv6(kEsp, Esp(innerV4, 4)), "esp",
       mtu::EspPacketLength(uint32_t(innerV4.size()), 20, mtu::Protection::kEsp,
                            mtu::EspMode::kTunnel, mtu::UnderlayFamily::kIpv6)},
      {Ipv4(kUdp, 2, 0, false, Udp(4500, 4500, Esp(innerV6, 41))), "esp-in-udp",
       mtu::EspPacketLength(uint32_t(innerV6.size()), 40, mtu::Protection::kEspInUdp,
                            mtu::EspMode::kTunnel, mtu::UnderlayFamily::kIpv4)},
  };
  // IPv4 inside IPv6: 40 + 8 + 8 + 228 + pad 2 + 2 + 16 = 304; IPv6 inside
  // IPv4 with UDP 4500: 20 + 8 + 8 + 8 + 248 + pad 2 + 2 + 16 = 312.
  BOOST_TEST(cases[0].expected == 304u);
  BOOST_TEST(cases[1].expected == 312u);
  for (const Case& t : cases) {
    PacketClassifier c = WithKey();
    Classified out;
    BOOST_REQUIRE(Classify(c, t.packet, &out));
    CheckProtected(out, t.cls);
    BOOST_TEST(out.wireBytes == t.expected);
  }
}

BOOST_AUTO_TEST_CASE(clear_geneve_shows_its_marker_in_clear) {
  PacketClassifier c;
  const Bytes packet = Ipv6(kUdp, GeneveSegment());
  Classified out;
  BOOST_REQUIRE(Classify(c, packet, &out));
  BOOST_TEST(out.cls == "geneve");
  BOOST_TEST(out.clearFlows == std::vector<int>{kFlow});
  BOOST_TEST(out.packets == 1u);
  BOOST_TEST(out.wireBytes == packet.size());
  BOOST_TEST(out.largestPacket == packet.size());
}

BOOST_AUTO_TEST_CASE(esp_is_decrypted_to_find_the_marker) {
  PacketClassifier c = WithKey();
  Classified out;
  BOOST_REQUIRE(Classify(c, Ipv6(kEsp, Esp(GeneveSegment())), &out));
  CheckProtected(out, "esp");
  PacketClassifier keyless;
  BOOST_REQUIRE(Classify(keyless, Ipv6(kEsp, Esp(GeneveSegment())), &out));
  BOOST_TEST(out.undecryptable);
  BOOST_TEST(out.protectedFlows.empty());
}

BOOST_AUTO_TEST_CASE(esp_in_udp_4500_and_ike) {
  PacketClassifier c = WithKey();
  Classified out;
  BOOST_REQUIRE(Classify(c, Ipv6(kUdp, Udp(4500, 4500, Esp(GeneveSegment()))), &out));
  CheckProtected(out, "esp-in-udp");
  BOOST_REQUIRE(Classify(c, Ipv6(kUdp, Udp(500, 500, Bytes(28, 0x11))), &out));
  BOOST_TEST(out.cls == "ike");
}

BOOST_AUTO_TEST_CASE(extension_headers_are_stepped_over) {
  PacketClassifier c = WithKey();
  Bytes chain = OptionsHeader(kDestOptions);
  Append(chain, OptionsHeader(kEsp));
  Append(chain, Esp(GeneveSegment()));
  const Bytes packet = Ipv6(kHopByHop, chain);
  Classified out;
  BOOST_REQUIRE(Classify(c, packet, &out));
  CheckProtected(out, "esp");
  BOOST_TEST(out.wireBytes == packet.size());
}

BOOST_AUTO_TEST_CASE(an_atomic_fragment_is_a_whole_datagram) {
  PacketClassifier c = WithKey();
  Bytes payload = FragmentHeader(kEsp, 0, false, 99);
  Append(payload, Esp(GeneveSegment()));
  Classified out;
  BOOST_REQUIRE(Classify(c, Ipv6(kFragment, payload), &out));
  CheckProtected(out, "esp");
  BOOST_TEST(out.packets == 1u);
  BOOST_TEST(c.Counters().fragmentsHeld == 0u);
}

BOOST_AUTO_TEST_CASE(fragments_out_of_order_make_one_datagram) {
  const Bytes esp = Esp(GeneveSegment());
  for (size_t k : {2u, 3u}) {
    BOOST_TEST_CONTEXT(k << " fragments") {
      PacketClassifier c = WithKey();
      std::vector<Bytes> fragments = Ipv6Fragments(kEsp, esp, k, 0x01020304);
      std::rotate(fragments.begin(), fragments.begin() + 1, fragments.end());
      uint64_t sum = 0;
      size_t largest = 0;
      Classified out;
      for (size_t i = 0; i < k; ++i) {
        sum += fragments[i].size();
        largest = std::max(largest, fragments[i].size());
        BOOST_TEST(Classify(c, fragments[i], &out) == (i == k - 1));
      }
      CheckProtected(out, "esp");
      BOOST_TEST(out.packets == k);
      BOOST_TEST(out.wireBytes == sum);
      BOOST_TEST(out.largestPacket == largest);
      BOOST_TEST(c.Counters().fragmentsHeld == 0u);
      BOOST_TEST(c.Counters().malformed == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(fragments_on_two_channels_never_mix) {
  PacketClassifier c = WithKey();
  const std::vector<Bytes> fragments = Ipv6Fragments(kEsp, Esp(GeneveSegment()), 2, 5);
  Classified out;
  BOOST_TEST(!Classify(c, fragments[0], &out, 0));
  BOOST_TEST(!Classify(c, fragments[1], &out, 1));
  BOOST_TEST(c.Counters().fragmentsHeld == 2u);
  BOOST_REQUIRE(Classify(c, fragments[1], &out, 0));
  CheckProtected(out, "esp");
  BOOST_REQUIRE(Classify(c, fragments[0], &out, 1));
  CheckProtected(out, "esp");
  BOOST_TEST(c.Counters().fragmentsHeld == 0u);
}

// 10.0.0.1 -> 10.0.0.2, id 0x1234, ESP: the same bytes in an IPv4 header and
// in an IPv6 one with IPv4-mapped addresses are two datagrams.
BOOST_AUTO_TEST_CASE(ipv4_and_ipv6_fragments_never_mix) {
  PacketClassifier c = WithKey();
  const Bytes esp = Esp(GeneveSegment());
  const std::vector<Bytes> v6 = Ipv6Fragments(kEsp, esp, 2, 0x1234);
  const long cut = long(v6[0].size()) - 40 - 8;  // both families cut at the same byte
  const Bytes head(esp.begin(), esp.begin() + cut), tail(esp.begin() + cut, esp.end());
  Classified out;
  BOOST_TEST(!Classify(c, Ipv4(kEsp, 0x1234, 0, true, head), &out));
  BOOST_TEST(!Classify(c, v6[1], &out));
  BOOST_TEST(c.Counters().fragmentsHeld == 2u);
  BOOST_REQUIRE(Classify(c, Ipv4(kEsp, 0x1234, uint32_t(cut), false, tail), &out));
  CheckProtected(out, "esp");
  BOOST_TEST(out.packets == 2u);
  BOOST_REQUIRE(Classify(c, v6[0], &out));
  CheckProtected(out, "esp");
  BOOST_TEST(out.packets == 2u);
  BOOST_TEST(c.Counters().fragmentsHeld == 0u);
}

BOOST_AUTO_TEST_CASE(malformed_packets_are_counted_and_dropped) {
  const Bytes whole = Ipv6(kEsp, Esp(GeneveSegment()));
  Bytes longPayload = whole;
  PutU16(longPayload, 4, uint32_t(whole.size() - 40 + 1));
  Bytes cutOption = Ipv6(kHopByHop, OptionsHeader(kEsp));
  cutOption[40 + 1] = 1;  // says 16 bytes, 8 are there
  Bytes cutInReassembly = FragmentHeader(kDestOptions, 0, false, 1);
  Append(cutInReassembly, {kEsp, 0, 1, 4});
  const std::vector<Bytes> cases = {
      Bytes(whole.begin(), whole.begin() + 39),           // fixed header cut short
      longPayload,                                        // payload length past the buffer
      cutOption,                                          // extension header cut short
      Ipv6(kHopByHop, {}),                                // extension header missing
      Ipv6(kFragment, {kEsp, 0, 0, 1}),                   // fragment header cut short
      Ipv6(kFragment, cutInReassembly),                   // options cut after the fragment header
      Bytes{0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}  // neither IPv4 nor IPv6
  };
  PacketClassifier c = WithKey();
  uint64_t malformed = 0;
  for (const Bytes& packet : cases) {
    Classified out;
    BOOST_TEST(!Classify(c, packet, &out));
    BOOST_TEST(c.Counters().malformed == ++malformed);
  }
  BOOST_TEST(!c.Classify(whole.data(), 0, nullptr));
  BOOST_TEST(c.Counters().malformed == ++malformed);
  BOOST_TEST(c.Counters().fragmentsHeld == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
