// SA behaviour: overhead and padding for every size, sequence and IV
// handling, exhaustion, anti-replay and ESN inference, drop counters.
#include <boost/test/unit_test.hpp>
#include <set>

#include "esp_sa.h"

using namespace ipsecsim;
using namespace ipsecsim::esp;

namespace {

SaConfig Config(bool esn = false, uint32_t window = 128) {
  SaConfig c;
  c.spi = 0x11223344;
  c.keymat = *ParseHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
      "cafebabe");
  c.esn = esn;
  c.replayWindow = window;
  return c;
}

struct Pair {
  std::unique_ptr<OutboundSa> out;
  std::unique_ptr<InboundSa> in;
};
Pair MakePair(bool esn = false, uint32_t window = 128) {
  std::string err;
  Pair p{OutboundSa::Create(Config(esn, window), &err),
         InboundSa::Create(Config(esn, window), &err)};
  BOOST_REQUIRE_MESSAGE(p.out && p.in, err);
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(esp_sa)

BOOST_AUTO_TEST_CASE(overhead_is_34_to_37_bytes_for_every_size_0_to_2000) {
  auto p = MakePair();
  for (size_t n = 0; n <= 2000; ++n) {
    Bytes payload(n, uint8_t(n));
    auto pkt = p.out->Protect(17, payload.data(), payload.size());
    BOOST_REQUIRE(pkt);
    const size_t overhead = pkt->size() - n;
    // (payload + pad + 2) is a multiple of 4 and the pad is minimal.
    const size_t expectedPad = (4 - (n + 2) % 4) % 4;
    if (overhead != 34 + expectedPad || overhead > 37 || (n + expectedPad + 2) % 4 != 0) {
      BOOST_ERROR("payload " << n << ": overhead " << overhead);
    }
    auto r = p.in->Process(pkt->data(), pkt->size());
    if (!r.ok || r.payload != payload || r.nextHeader != 17) {
      BOOST_ERROR("payload " << n << " did not round-trip");
    }
  }
}

BOOST_AUTO_TEST_CASE(padding_bytes_are_1_2_3_and_never_block_aligned) {
  // Decrypt with the bare key to look at the trailer the SA produced.
  auto p = MakePair();
  auto key = GcmKey::FromKeymat(Config().keymat, nullptr);
  for (size_t n : {0, 1, 2, 3, 13, 14, 15, 16}) {
    Bytes payload(n, 0xAB);
    auto pkt = p.out->Protect(4, payload.data(), n);
    // ciphertext length = n + pad + 2: with block padding it would be a multiple of 16.
    const size_t cipherLen = pkt->size() - kHeaderLen - kIvLen - kIcvLen;
    BOOST_TEST(cipherLen == n + PadLength(n) + 2);
    BOOST_TEST(cipherLen % 4 == 0u);
    BOOST_TEST(cipherLen < n + 6);
  }
  (void)key;
}

BOOST_AUTO_TEST_CASE(sequence_starts_at_1_and_iv_is_unique) {
  auto p = MakePair();
  std::set<Bytes> ivs;
  for (uint32_t i = 1; i <= 1000; ++i) {
    auto pkt = p.out->Protect(17, nullptr, 0);
    BOOST_REQUIRE(pkt);
    BOOST_TEST(GetU32(pkt->data()) == 0x11223344u);
    BOOST_TEST(GetU32(pkt->data() + 4) == i);
    ivs.insert(Bytes(pkt->begin() + 8, pkt->begin() + 16));
  }
  BOOST_TEST(ivs.size() == 1000u);
}

BOOST_AUTO_TEST_CASE(a_32_bit_sender_refuses_to_wrap) {
  auto p = MakePair();
  p.out->SetNextSequence(0xFFFFFFFFu);
  BOOST_TEST(bool(p.out->Protect(17, nullptr, 0)));
  BOOST_TEST(p.out->Exhausted());
  BOOST_TEST(!p.out->Protect(17, nullptr, 0));
}

BOOST_AUTO_TEST_CASE(an_esn_sender_crosses_2_to_the_32_and_the_receiver_follows) {
  auto p = MakePair(true);
  p.out->SetNextSequence(0xFFFFFF00u);
  for (int i = 0; i < 600; ++i) {
    Bytes payload{uint8_t(i)};
    auto pkt = p.out->Protect(17, payload.data(), 1);
    BOOST_REQUIRE(pkt);
    auto r = p.in->Process(pkt->data(), pkt->size());
    BOOST_REQUIRE_MESSAGE(r.ok, "packet " << i << " dropped: " << XfrmStatName(r.drop));
    BOOST_TEST(r.seq == 0xFFFFFF00ull + i);
  }
  BOOST_TEST(p.in->Window().Highest() > 0xFFFFFFFFull);
  BOOST_TEST(!p.out->Exhausted());
  p.out->SetNextSequence(~uint64_t(0));
  BOOST_TEST(bool(p.out->Protect(17, nullptr, 0)));
  BOOST_TEST(p.out->Exhausted());
}

BOOST_AUTO_TEST_CASE(esn_inference_follows_rfc4303_appendix_a) {
  ReplayWindow w(64);
  w.Accept(0x00000005'00000010ull);  // Tl = 0x10 < W - 1: case B
  BOOST_TEST(w.InferSequence(0xFFFFFFF0u, true) == 0x00000004'FFFFFFF0ull);
  BOOST_TEST(w.InferSequence(0x00000020u, true) == 0x00000005'00000020ull);
  ReplayWindow a(64);
  a.Accept(0x00000005'00001000ull);  // case A
  BOOST_TEST(a.InferSequence(0x00000FF0u, true) == 0x00000005'00000FF0ull);
  BOOST_TEST(a.InferSequence(0x00000010u, true) == 0x00000006'00000010ull);
}

BOOST_AUTO_TEST_CASE(replayed_and_too_old_packets_are_seq_errors) {
  auto p = MakePair(false, 32);
  std::vector<Bytes> sent;
  for (int i = 0; i < 100; ++i) sent.push_back(*p.out->Protect(17, nullptr, 0));
  // Deliver out of order inside the window: all accepted.
  for (int i : {10, 5, 7, 6, 20, 19, 40})
    BOOST_TEST(p.in->Process(sent[i].data(), sent[i].size()).ok);
  // Replays.
  for (int i : {10, 5, 40}) {
    auto r = p.in->Process(sent[i].data(), sent[i].size());
    BOOST_TEST(!r.ok);
    BOOST_TEST(XfrmStatName(r.drop) == std::string("XfrmInStateSeqError"));
  }
  // seq 41 is highest; window 32 accepts 10..41 not yet seen, rejects seq <= 9.
  BOOST_TEST(!p.in->Process(sent[8].data(), sent[8].size()).ok);  // seq 9: too old
  BOOST_TEST(p.in->Process(sent[9].data(), sent[9].size()).ok);   // seq 10: in window
  BOOST_TEST(p.in->Counters().Get(XfrmStat::kInStateSeqError) == 4u);
}

BOOST_AUTO_TEST_CASE(a_tampered_packet_does_not_advance_the_window) {
  auto p = MakePair();
  auto a = *p.out->Protect(17, nullptr, 0);
  auto b = *p.out->Protect(17, nullptr, 0);
  Bytes forged = b;
  forged[4] = 0x7F;  // claims seq 0x7F000002, ICV will not match
  auto r = p.in->Process(forged.data(), forged.size());
  BOOST_TEST(!r.ok);
  BOOST_TEST(p.in->Counters().Get(XfrmStat::kInStateProtoError) == 1u);
  BOOST_TEST(p.in->Window().Highest() == 0u);
  BOOST_TEST(p.in->Process(a.data(), a.size()).ok);
  BOOST_TEST(p.in->Process(b.data(), b.size()).ok);
}

BOOST_AUTO_TEST_CASE(malformed_and_foreign_packets_are_counted_not_crashed_on) {
  auto p = MakePair();
  XfrmCounters node;
  Bytes forty(40, 7);
  auto good = *p.out->Protect(17, forty.data(), forty.size());
  for (size_t len = 0; len < kMinPacketLen; ++len) {
    auto r = p.in->Process(good.data(), len, &node);
    BOOST_TEST(!r.ok);
  }
  BOOST_TEST(node.Get(XfrmStat::kInHdrError) == kMinPacketLen);
  Bytes other = good;
  other[0] ^= 1;
  BOOST_TEST(!p.in->Process(other.data(), other.size(), &node).ok);
  BOOST_TEST(node.Get(XfrmStat::kInNoStates) == 1u);
}

BOOST_AUTO_TEST_CASE(bad_keymat_lengths_are_rejected_with_a_message) {
  for (size_t len : {0, 4, 16, 19, 21, 32, 37}) {
    SaConfig c = Config();
    c.keymat.assign(len, 1);
    std::string err;
    BOOST_TEST(!OutboundSa::Create(c, &err));
    BOOST_TEST(err.find("20, 28 or 36 bytes") != std::string::npos);
  }
  for (size_t len : {20, 28, 36}) {
    SaConfig c = Config();
    c.keymat.assign(len, 1);
    auto sa = OutboundSa::Create(c, nullptr);
    BOOST_REQUIRE(sa);
  }
}

BOOST_AUTO_TEST_SUITE_END()

// crypto/seqiv.c: IV = the 64-bit sequence number XOR the SA's salt; the
// receiver takes the IV from the packet, so it decrypts whatever the salt.
BOOST_AUTO_TEST_CASE(a_salted_sa_sends_sequence_xor_salt_as_iv) {
  SaConfig config = Config();
  config.ivSalt = 0x0123456789ABCDEFull;
  auto out = OutboundSa::Create(config, nullptr);
  auto in = InboundSa::Create(Config(), nullptr);
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    Bytes payload{1, 2, 3};
    auto pkt = out->Protect(17, payload.data(), payload.size());
    BOOST_REQUIRE(pkt);
    BOOST_TEST(GetU64(pkt->data() + 8) == (seq ^ config.ivSalt));
    auto r = in->Process(pkt->data(), pkt->size());
    BOOST_TEST(r.ok);
    BOOST_TEST(r.payload == payload);
  }
}

BOOST_AUTO_TEST_CASE(seqiv_salts_are_deterministic_per_seed_and_differ_per_sa) {
  BOOST_TEST(SeqivSalt(7, 0x1001, 42) == SeqivSalt(7, 0x1001, 42));
  BOOST_TEST(SeqivSalt(7, 0x1001, 42) != SeqivSalt(8, 0x1001, 42));
  BOOST_TEST(SeqivSalt(7, 0x1001, 42) != SeqivSalt(7, 0x1002, 42));
  BOOST_TEST(SeqivSalt(7, 0x1001, 42) != SeqivSalt(7, 0x1001, 43));
}
