// The codec against draft-mcgrew-gcm-test-01 (cases 1-10): byte-exact output,
// recovery of every payload, and an ICV failure for any flipped bit.
#include <boost/test/unit_test.hpp>

#include "esp_codec.h"
#include "gcm_vector_file.h"

using namespace ipsecsim;
using namespace ipsecsim::esp;

namespace {

struct Decoded {
  uint32_t spi;
  uint64_t seq;
  bool esn;
  uint64_t iv;
  Bytes payload;
  uint8_t nextHeader;
};

// The vectors' plaintext includes the trailer: strip padding, pad length, NH.
Decoded Decode(const test::GcmVector& v) {
  Decoded d;
  d.spi = GetU32(v.at("spi").data());
  const Bytes& seq = v.at("seq");
  d.esn = seq.size() == 8;
  d.seq = d.esn ? GetU64(seq.data()) : GetU32(seq.data());
  d.iv = GetU64(v.at("iv").data());
  const Bytes& pt = v.at("plaintext");
  d.nextHeader = pt.back();
  const size_t pad = pt[pt.size() - 2];
  d.payload.assign(pt.begin(), pt.end() - 2 - pad);
  return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(esp_vectors)

BOOST_AUTO_TEST_CASE(all_ten_cases_are_loaded) {
  auto vectors = test::LoadGcmVectors();
  BOOST_REQUIRE_EQUAL(vectors.size(), 10u);
  for (auto& v : vectors) {
    for (const char* k : {"KEYMAT", "spi", "seq", "iv", "plaintext", "esp_packet"}) {
      BOOST_TEST_CONTEXT(v.title << " field " << k) { BOOST_TEST(v.fields.count(k) == 1u); }
    }
  }
}

BOOST_AUTO_TEST_CASE(encrypt_reproduces_every_packet_byte_for_byte) {
  for (auto& v : test::LoadGcmVectors()) {
    BOOST_TEST_CONTEXT(v.title) {
      Decoded d = Decode(v);
      std::string err;
      auto key = GcmKey::FromKeymat(v.at("KEYMAT"), &err);
      BOOST_REQUIRE_MESSAGE(key, err);
      Bytes out =
          key->Seal(d.spi, d.seq, d.esn, d.iv, d.nextHeader, d.payload.data(), d.payload.size());
      BOOST_TEST(ToHex(out) == ToHex(v.at("esp_packet")));
    }
  }
}

BOOST_AUTO_TEST_CASE(decrypt_recovers_every_payload) {
  for (auto& v : test::LoadGcmVectors()) {
    BOOST_TEST_CONTEXT(v.title) {
      Decoded d = Decode(v);
      auto key = GcmKey::FromKeymat(v.at("KEYMAT"), nullptr);
      const Bytes& pkt = v.at("esp_packet");
      Bytes payload;
      uint8_t nh = 0;
      auto r = key->Open(pkt.data(), pkt.size(), d.esn, uint32_t(d.seq >> 32), &payload, &nh);
      BOOST_TEST(std::string(OpenResultName(r)) == "ok");
      BOOST_TEST(ToHex(payload) == ToHex(d.payload));
      BOOST_TEST(nh == d.nextHeader);
    }
  }
}

BOOST_AUTO_TEST_CASE(any_flipped_bit_fails_the_icv) {
  for (auto& v : test::LoadGcmVectors()) {
    Decoded d = Decode(v);
    auto key = GcmKey::FromKeymat(v.at("KEYMAT"), nullptr);
    const Bytes& good = v.at("esp_packet");
    size_t failures = 0, tried = 0;
    for (size_t bit = 0; bit < good.size() * 8; ++bit) {
      Bytes bad = good;
      bad[bit / 8] ^= uint8_t(1u << (bit % 8));
      Bytes payload;
      uint8_t nh;
      ++tried;
      if (key->Open(bad.data(), bad.size(), d.esn, uint32_t(d.seq >> 32), &payload, &nh) ==
          GcmKey::OpenResult::kIcvMismatch) {
        ++failures;
      }
    }
    BOOST_TEST_CONTEXT(v.title) { BOOST_TEST(failures == tried); }
  }
}

BOOST_AUTO_TEST_CASE(wrong_esn_high_half_fails_the_icv) {
  for (auto& v : test::LoadGcmVectors()) {
    Decoded d = Decode(v);
    if (!d.esn) continue;
    auto key = GcmKey::FromKeymat(v.at("KEYMAT"), nullptr);
    const Bytes& pkt = v.at("esp_packet");
    Bytes payload;
    uint8_t nh;
    auto r = key->Open(pkt.data(), pkt.size(), true, uint32_t(d.seq >> 32) + 1, &payload, &nh);
    BOOST_TEST_CONTEXT(v.title) {
      BOOST_TEST(std::string(OpenResultName(r)) ==
                 OpenResultName(GcmKey::OpenResult::kIcvMismatch));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
