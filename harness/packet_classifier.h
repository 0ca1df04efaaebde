// Classifies one IPv4 packet seen on the underlay, from its bytes alone, the
// way a capture would be read in Wireshark: ESP is decrypted with the keys the
// run wrote to keys/esp_sa, and every flow marker found is reported as seen
// either in clear or only inside protected packets. IP fragments are held
// until their datagram is complete.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bytes.h"
#include "esp_codec.h"

namespace ipsecsim::harness {

struct Classified {
  std::string cls;                  // esp | esp-in-udp | ike | natt-keepalive | geneve | clear
  uint32_t packets = 1;             // underlay packets this covers (fragments of one datagram)
  uint64_t wireBytes = 0;           // IP total lengths of those packets, summed
  uint32_t largestPacket = 0;       // the largest of them (IP total length)
  std::vector<int> clearFlows;      // markers readable on the wire
  std::vector<int> protectedFlows;  // markers found only after decryption
  bool undecryptable = false;       // ESP without a known key, or failing its ICV
};

struct ClassifierCounters {
  uint64_t malformed = 0;  // not a well-formed IPv4 packet: counted and dropped
  uint64_t undecryptable = 0;
  uint64_t fragmentsHeld = 0;  // fragments still waiting for the rest of their datagram
};

class PacketClassifier {
 public:
  // Keys by SPI (SPIs are unique within a run).
  void AddKey(uint32_t spi, const Bytes& keymat);
  // Returns false while the packet is a fragment of an incomplete datagram or
  // is malformed; otherwise fills *out. Fragments are reassembled per
  // channel, so that the copies of one datagram seen at two taps never mix.
  bool Classify(const uint8_t* data, size_t len, Classified* out, uint32_t channel = 0);
  const ClassifierCounters& Counters() const;

 private:
  bool ClassifyDatagram(uint8_t proto, const uint8_t* l4, size_t len, Classified* out);
  void DecryptInto(const uint8_t* esp, size_t len, Classified* out);

  // channel, src, dst, id, proto
  using FragmentKey = std::tuple<uint32_t, uint32_t, uint32_t, uint16_t, uint8_t>;
  struct Reassembly {
    std::map<uint32_t, Bytes> pieces;  // offset -> bytes
    uint32_t total = 0;                // known once the last fragment arrived
    uint32_t fragments = 0;
    uint64_t wireBytes = 0;
    uint32_t largestPacket = 0;
  };
  std::map<uint32_t, std::unique_ptr<esp::GcmKey>> keys_;
  std::map<FragmentKey, Reassembly> reassembly_;
  mutable ClassifierCounters counters_;
};

}  // namespace ipsecsim::harness
