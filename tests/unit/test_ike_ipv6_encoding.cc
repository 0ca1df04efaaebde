// IKEv2 over IPv6, wire side: traffic selectors of type TS_IPV6_ADDR_RANGE
// (RFC 7296 §3.13.1) byte for byte, IPv4 selectors unchanged, malformed
// selectors refused with a precise error (never a crash), and the
// NAT_DETECTION hashes and address texts recomputed by Python.
#include <boost/test/unit_test.hpp>
#include <random>

#include "encrypted_payload.h"
#include "nat_detection.h"
#include "test_ike_support.h"

using namespace iketest;

namespace {

Bytes TsChain(const TrafficSelector& selector) {
  Bytes chain;
  EncodePayloadChain({Payload{PayloadType::kTsi, false, TsPayload{{selector}}}}, &chain);
  return chain;
}

ParseResult<std::vector<Payload>> ParseTsChain(const Bytes& chain) {
  return ParsePayloadChain(chain.data(), chain.size(), 0, PayloadType::kTsi, false);
}

std::string ErrorOf(const Bytes& chain) { return ParseTsChain(chain).Error().ToString(); }

// The offsets of one selector after the generic header (4) and the TS
// payload's count and reserved bytes (4).
constexpr size_t kSelector = 8;

}  // namespace

BOOST_AUTO_TEST_SUITE(ike_ipv6_encoding)

BOOST_AUTO_TEST_CASE(ipv4_selector_bytes_are_unchanged) {
  // RFC 7296 §3.13.1: type 7, protocol 17, length 16, ports 0-65535, 10.0.0.1 twice.
  const TrafficSelector ts{17, 0, 65535, IpAddress::V4(0x0a000001), IpAddress::V4(0x0a000001)};
  BOOST_TEST(ts.TsType() == 7);
  BOOST_TEST(ToHex(TsChain(ts)) ==
             "00000018"
             "01000000"
             "07110010"
             "0000ffff"
             "0a000001"
             "0a000001");
}

BOOST_AUTO_TEST_CASE(ipv6_selector_is_type_8_of_40_bytes) {
  const TrafficSelector ts{17, 6081, 6081, Ipv6Node(0x0b), Ipv6Node(0x0b)};
  BOOST_TEST(ts.TsType() == 8);
  const Bytes chain = TsChain(ts);
  // Generic header with payload length 48, one selector: type 8, protocol 17,
  // selector length 40 (8 + 16 + 16), ports 6081-6081, fd00:10::b twice.
  BOOST_TEST(ToHex(chain) ==
             "00000030"
             "01000000"
             "08110028"
             "17c117c1"
             "fd00001000000000000000000000000b"
             "fd00001000000000000000000000000b");
  auto parsed = ParseTsChain(chain);
  BOOST_REQUIRE_MESSAGE(parsed.Ok(), parsed.Error().ToString());
  const auto* body = BodyOf<TsPayload>(&parsed.Value().at(0));
  BOOST_REQUIRE(body);
  BOOST_REQUIRE_EQUAL(body->selectors.size(), 1u);
  BOOST_TEST((body->selectors[0] == ts));
  BOOST_TEST(body->selectors[0].startAddress.ToString() == "fd00:10::b");
}

BOOST_AUTO_TEST_CASE(ipv6_auth_request_round_trips_through_sk) {
  const Bytes skEi = Filled(36, 0x21);
  std::string error;
  auto cipher = SkCipher::FromKeymat(skEi, &error);
  BOOST_REQUIRE_MESSAGE(cipher, error);
  const std::vector<Payload> inner = AuthRequestInner6();
  const Bytes wire = cipher->Seal(Header(ExchangeType::kIkeAuth, 1, false), {}, inner, 9);
  auto parsed = ParseMessage(wire);
  BOOST_REQUIRE_MESSAGE(parsed.Ok(), parsed.Error().ToString());
  auto opened = cipher->Open(wire, *BodyOf<EncryptedPayload>(&parsed.Value().payloads[0]));
  BOOST_REQUIRE_MESSAGE(opened.Ok(), opened.Error().ToString());
  Bytes expected, actual;
  EncodePayloadChain(inner, &expected);
  EncodePayloadChain(opened.Value(), &actual);
  BOOST_TEST(actual == expected);
  const auto* tsi = BodyOf<TsPayload>(FindPayload(opened.Value(), PayloadType::kTsi));
  BOOST_REQUIRE(tsi);
  BOOST_TEST(tsi->selectors.at(0).startAddress.ToString() == "fd00:10::a");
}

BOOST_AUTO_TEST_CASE(malformed_selectors_are_precise_errors) {
  const Bytes v6 = TsChain(TrafficSelector{17, 0, 65535, Ipv6Node(0x0a), Ipv6Node(0x0a)});
  const Bytes v4 = TsChain(TrafficSelector{});

  Bytes shortV6 = v6;  // type 8 declaring the IPv4 length
  shortV6[kSelector + 3] = 16;
  BOOST_TEST(ErrorOf(shortV6) == "byte 10: expected TS selector length 40: declares 16");

  Bytes longV4 = v4;  // type 7 declaring the IPv6 length
  longV4[kSelector + 3] = 40;
  BOOST_TEST(ErrorOf(longV4) == "byte 10: expected TS selector length 16: declares 40");

  Bytes v6TypedV4 = v6;  // an IPv6 selector that calls itself IPv4
  v6TypedV4[kSelector] = 7;
  BOOST_TEST(ErrorOf(v6TypedV4) == "byte 10: expected TS selector length 16: declares 40");

  Bytes unknown = v6;
  unknown[kSelector] = 9;
  BOOST_TEST(ErrorOf(unknown) ==
             "byte 8: expected TS type 7 (TS_IPV4_ADDR_RANGE) or 8 (TS_IPV6_ADDR_RANGE): type 9 "
             "is not supported");

  // Start and end of different families: what the encoder writes does not
  // fill the declared length, and the parser says where.
  const Bytes mixed = TsChain(TrafficSelector{17, 0, 65535, Ipv6Node(0x0a), IpAddress::V4(1)});
  BOOST_TEST(!ParseTsChain(mixed).Ok());

  for (size_t len = 0; len < v6.size(); ++len) {
    auto parsed = ParsePayloadChain(v6.data(), len, 0, PayloadType::kTsi, false);
    BOOST_REQUIRE_MESSAGE(!parsed.Ok(), "IPv6 TS cut to " << len << " parsed");
    BOOST_TEST(parsed.Error().offset <= len);
  }
}

BOOST_AUTO_TEST_CASE(random_flips_of_an_ipv6_inner_chain_never_crash) {
  Bytes chain;
  const PayloadType first = EncodePayloadChain(AuthRequestInner6(), &chain);
  std::mt19937 rng(20260601);
  size_t refused = 0, accepted = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    Bytes bad = chain;
    const int flips = 1 + int(rng() % 4);
    for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
    auto parsed = ParsePayloadChain(bad.data(), bad.size(), 40, first, false);
    if (!parsed.Ok()) {
      ++refused;
      BOOST_TEST(parsed.Error().offset <= 40 + bad.size());
      continue;
    }
    ++accepted;
    Bytes canonical;
    const PayloadType again = EncodePayloadChain(parsed.Value(), &canonical);
    auto reparsed = ParsePayloadChain(canonical.data(), canonical.size(), 40, again, false);
    BOOST_REQUIRE(reparsed.Ok());
    Bytes twice;
    EncodePayloadChain(reparsed.Value(), &twice);
    BOOST_TEST(twice == canonical);
  }
  BOOST_TEST(refused > 0u);
  BOOST_TEST(accepted > 0u);
}

BOOST_AUTO_TEST_CASE(nat_detection_hashes_match_python_for_both_families) {
  // RFC 7296 §2.23: SHA-1(SPIi | SPIr | IP address | port), the address in
  // its 4 or 16 network-order bytes.
  const std::string script =
      "import hashlib, ipaddress, struct, sys\n"
      "spi_i, spi_r, ip, port = sys.argv[1:]\n"
      "data = struct.pack('>QQ', int(spi_i, 16), int(spi_r, 16))\n"
      "data += ipaddress.ip_address(ip).packed + struct.pack('>H', int(port))\n"
      "print(hashlib.sha1(data).hexdigest())\n";
  const uint64_t spiI = 0x0102030405060708ULL, spiR = 0x1112131415161718ULL;
  struct Case {
    IpAddress address;
    uint16_t port;
  };
  for (const Case& c : {Case{IpAddress::V4(0x0a01000b), 500}, Case{Ipv6Node(0x0a), 500},
                        Case{Ipv6Node(0x0b), 4500}, Case{Ipv6Node(0x0a), 0}}) {
    const std::string expected = Python(script, {"0102030405060708", "1112131415161718",
                                                 c.address.ToString(), std::to_string(c.port)});
    BOOST_TEST(ToHex(NatDetectionHash(spiI, spiR, c.address, c.port)) == expected,
               c.address.ToString() << " port " << c.port);
  }
}

BOOST_AUTO_TEST_CASE(address_text_is_rfc5952_as_python_prints_it) {
  const std::string script =
      "import ipaddress, sys\n"
      "for h in sys.argv[1:]: print(ipaddress.ip_address(bytes.fromhex(h)).compressed)\n";
  const std::vector<std::string> hex = {
      "0a01000b",
      "00000000",
      "ffffffff",
      "fd00001000000000000000000000000a",  // fd00:10::a
      "00000000000000000000000000000000",  // ::
      "00000000000000000000000000000001",  // ::1
      "00010000000000000000000000000000",  // 1::
      "00010000000000020000000000000003",  // the longer zero run wins
      "00010000000000020000000000030000",  // equal runs: the first
      "20010db8000000010001000100010001",  // a single zero group stays
      "20010db8abcd00000000000000000000",
      "fe80000000000000020000fffe000001"};
  std::string expected = Python(script, hex), actual;
  for (const std::string& h : hex) {
    const Bytes b = *ParseHex(h);
    actual += (actual.empty() ? "" : "\n") + IpAddress::FromBytes(b.data(), b.size())->ToString();
  }
  BOOST_TEST(actual == expected);
}

BOOST_AUTO_TEST_CASE(addresses_order_ipv4_first_then_numerically) {
  BOOST_TEST((IpAddress::V4(0x0a000001) < IpAddress::V4(0x0a000002)));
  BOOST_TEST((IpAddress::V4(0xffffffff) < Ipv6Node(0)));
  BOOST_TEST((Ipv6Node(0x0a) < Ipv6Node(0x0b)));
  BOOST_TEST((IpAddress::V4(0) != IpAddress::V6({})));
  BOOST_TEST(IpAddress().IsUnspecified());
  BOOST_TEST(IpAddress::V6({}).IsUnspecified());
  BOOST_TEST(!IpAddress::FromBytes(Filled(5, 1).data(), 5).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
