// The allocation-free ESP API (ProtectInPlace / ProcessInPlace) produces the
// same bytes and verdicts as the copying one.
#include <boost/test/unit_test.hpp>

#include "esp_sa.h"

using namespace ipsecsim;
using namespace ipsecsim::esp;

namespace {
SaConfig Config() {
  SaConfig c;
  c.spi = 0x2002;
  c.keymat = *ParseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f01020304");
  return c;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(esp_inplace)

BOOST_AUTO_TEST_CASE(protect_in_place_matches_protect) {
  auto copying = OutboundSa::Create(Config(), nullptr);
  auto inPlace = OutboundSa::Create(Config(), nullptr);
  for (size_t len : {0, 1, 2, 3, 4, 61, 1400}) {
    const Bytes payload(len, uint8_t(len));
    const Bytes expected = *copying->Protect(17, payload.data(), payload.size());
    Bytes buffer(SealedLength(len), 0xee);
    std::copy(payload.begin(), payload.end(), buffer.begin() + kPayloadOffset);
    const std::optional<size_t> sealed = inPlace->ProtectInPlace(17, buffer.data(), len);
    BOOST_REQUIRE(sealed);
    BOOST_TEST(*sealed == expected.size());
    BOOST_TEST(ToHex(buffer) == ToHex(expected));
  }
  BOOST_TEST(inPlace->Packets() == copying->Packets());
  BOOST_TEST(inPlace->ByteCount() == copying->ByteCount());
}

BOOST_AUTO_TEST_CASE(process_in_place_decrypts_over_the_ciphertext) {
  auto out = OutboundSa::Create(Config(), nullptr);
  auto in = InboundSa::Create(Config(), nullptr);
  const Bytes payload = *ParseHex("00350035000c0000cafebabe");
  Bytes packet = *out->Protect(17, payload.data(), payload.size());
  const Bytes replay = packet;

  const InboundSa::InPlaceResult r = in->ProcessInPlace(packet.data(), packet.size());
  BOOST_REQUIRE(r.ok);
  BOOST_TEST(r.nextHeader == 17);
  BOOST_TEST(r.seq == 1u);
  BOOST_TEST(ToHex(packet.data() + kPayloadOffset, r.payloadLen) == ToHex(payload));

  Bytes again = replay;
  const InboundSa::InPlaceResult dup = in->ProcessInPlace(again.data(), again.size());
  BOOST_TEST(!dup.ok);
  BOOST_TEST(int(dup.drop) == int(XfrmStat::kInStateSeqError));
}

BOOST_AUTO_TEST_CASE(process_in_place_rejects_a_bad_icv) {
  auto out = OutboundSa::Create(Config(), nullptr);
  auto in = InboundSa::Create(Config(), nullptr);
  const Bytes payload(100, 0x42);
  Bytes packet = *out->Protect(6, payload.data(), payload.size());
  packet.back() ^= 1;
  XfrmCounters node;
  const InboundSa::InPlaceResult r = in->ProcessInPlace(packet.data(), packet.size(), &node);
  BOOST_TEST(!r.ok);
  BOOST_TEST(int(r.drop) == int(XfrmStat::kInStateProtoError));
  BOOST_TEST(node.Get(XfrmStat::kInStateProtoError) == 1u);
  BOOST_TEST(in->Window().Highest() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
