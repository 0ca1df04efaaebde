// libFuzzer target for the wire oracle's packet classifier: the input is a run
// of packets, each [channel][length: 2 bytes][bytes], fed to one classifier
// that holds a key, so fragments of IPv4 and IPv6 datagrams reassemble across
// packets. Nothing may read out of bounds, and what classifies must be
// consistent.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "packet_classifier.h"

using namespace ipsecsim::harness;

namespace {

constexpr uint32_t kMaxIpPacket = 40 + 65535;  // IPv6 40 + payload length

void CheckClassified(const Classified& c) {
  if (c.cls.empty() || c.packets == 0 || c.largestPacket == 0 || c.largestPacket > kMaxIpPacket ||
      c.wireBytes < c.largestPacket || c.wireBytes > uint64_t(c.packets) * kMaxIpPacket) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  PacketClassifier classifier;
  classifier.AddKey(0x0a0b0c0d, ipsecsim::Bytes(36, 0x42));
  uint64_t fed = 0, classified = 0;
  for (size_t at = 0; at + 3 <= size;) {
    const uint32_t channel = data[at] % 4;
    const size_t len = std::min<size_t>(size_t(data[at + 1]) << 8 | data[at + 2], size - at - 3);
    // A copy of exactly len bytes, so that AddressSanitizer sees any overread.
    const std::vector<uint8_t> packet(data + at + 3, data + at + 3 + len);
    at += 3 + len;
    Classified c;
    ++fed;
    if (classifier.Classify(packet.data(), packet.size(), &c, channel)) {
      CheckClassified(c);
      classified += c.packets;
    }
  }
  // Every packet is classified, held, or dropped as (part of) a malformed datagram.
  const ClassifierCounters& counters = classifier.Counters();
  if (classified + counters.fragmentsHeld + counters.malformed > fed) __builtin_trap();
  return 0;
}
