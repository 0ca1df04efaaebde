// The IKEv2 parser's cost is bounded by the message: counts and lengths are
// checked against the payload length before anything is allocated (RFC 7296
// §3.11 for Delete), so no datagram costs more memory than a small multiple
// of its own size. Peak heap use is measured by counting every allocation of
// this test program.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <new>

#include "ike_message.h"

using namespace ipsecsim;
using namespace ipsecsim::ike;

namespace {

std::atomic<size_t> gLive{0};
std::atomic<size_t> gPeak{0};

// Each block carries its size in front of it, so that delete can subtract it.
constexpr size_t kPrefix = alignof(std::max_align_t);

void* Allocate(size_t size) {
  void* block = std::malloc(size + kPrefix);
  if (!block) throw std::bad_alloc();
  *static_cast<size_t*>(block) = size;
  const size_t live = gLive += size;
  for (size_t peak = gPeak; live > peak && !gPeak.compare_exchange_weak(peak, live);) {
  }
  return static_cast<char*>(block) + kPrefix;
}

void Release(void* p) {
  if (!p) return;
  void* block = static_cast<char*>(p) - kPrefix;
  gLive -= *static_cast<size_t*>(block);
  std::free(block);
}

// Peak heap bytes above what was live before, while `work` ran.
template <typename Work>
size_t PeakDuring(Work work) {
  const size_t before = gLive;
  gPeak = before;
  work();
  return gPeak - before;
}

// A cleartext INFORMATIONAL request of `payloads` Delete payloads, each of
// 8 bytes: `protocol`, SPI size 0, and `count` SPIs declared.
Bytes DeleteChain(int payloads, ProtocolId protocol, uint16_t count) {
  Bytes message;
  IkeHeader header;
  header.spiI = 1;
  header.spiR = 2;
  header.exchange = ExchangeType::kInformational;
  header.flags = header_flags::kInitiator;
  EncodeHeader(header, PayloadType::kDelete, uint32_t(kIkeHeaderLen + payloads * 8), &message);
  for (int i = 0; i < payloads; ++i) {
    const uint8_t next = i + 1 < payloads ? uint8_t(PayloadType::kDelete) : 0;
    const uint8_t payload[8] = {next,          0, 0, 8, uint8_t(protocol), 0, uint8_t(count >> 8),
                                uint8_t(count)};
    message.insert(message.end(), payload, payload + 8);
  }
  return message;
}

}  // namespace

void* operator new(size_t size) { return Allocate(size); }
void* operator new[](size_t size) { return Allocate(size); }
void operator delete(void* p) noexcept { Release(p); }
void operator delete[](void* p) noexcept { Release(p); }
void operator delete(void* p, size_t) noexcept { Release(p); }
void operator delete[](void* p, size_t) noexcept { Release(p); }

BOOST_AUTO_TEST_SUITE(ike_bounds)

BOOST_AUTO_TEST_CASE(delete_with_spi_size_0_and_a_count_is_refused_before_allocating) {
  // The amplification message: 200 Deletes declaring 65,535 SPIs of size 0.
  const Bytes message = DeleteChain(200, ProtocolId::kEsp, 0xffff);
  BOOST_TEST(message.size() == 1628u);
  bool refused = false;
  std::string error;
  const size_t peak = PeakDuring([&] {
    auto parsed = ParseMessage(message);
    refused = !parsed.Ok();
    if (refused) error = parsed.Error().ToString();
  });
  BOOST_TEST(refused);
  BOOST_TEST(error ==
             "byte 36: expected Delete SPI count 0 with SPI size 0 (the IKE SA itself): 65535 SPIs "
             "of 0 bytes declared");
  // Before the check it cost about 950 MB; now a few copies of the message.
  BOOST_TEST(peak < 16 * message.size() + 4096, "peak heap " << peak << " bytes");
}

BOOST_AUTO_TEST_CASE(every_payload_costs_a_bounded_multiple_of_its_bytes) {
  // The cheapest payloads on the wire: empty-bodied Deletes of the IKE SA
  // (8 bytes each), as many as a 64 KiB datagram holds.
  constexpr int kPayloads = 8000;
  const Bytes message = DeleteChain(kPayloads, ProtocolId::kIke, 0);
  size_t payloads = 0;
  const size_t peak = PeakDuring([&] {
    auto parsed = ParseMessage(message);
    BOOST_REQUIRE(parsed.Ok());
    payloads = parsed.Value().payloads.size();
  });
  BOOST_TEST(payloads == size_t(kPayloads));
  BOOST_TEST(peak < 64 * message.size(), "peak heap " << peak << " bytes for " << message.size());
}

BOOST_AUTO_TEST_CASE(the_deletes_rfc_7296_allows_still_parse) {
  IkeMessage m;
  m.header.exchange = ExchangeType::kInformational;
  DeletePayload ikeSa;
  ikeSa.protocol = ProtocolId::kIke;
  ikeSa.spiSize = 0;
  DeletePayload child;
  child.spis = {Bytes{1, 2, 3, 4}, Bytes{5, 6, 7, 8}};
  m.payloads = {Payload{PayloadType::kDelete, false, ikeSa},
                Payload{PayloadType::kDelete, false, child}};
  auto parsed = ParseMessage(EncodeMessage(m));
  BOOST_REQUIRE(parsed.Ok());
  BOOST_TEST(BodyOf<DeletePayload>(&parsed.Value().payloads[0])->spis.empty());
  BOOST_TEST(BodyOf<DeletePayload>(&parsed.Value().payloads[1])->spis.size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
