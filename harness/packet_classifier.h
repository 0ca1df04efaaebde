// Classifies one IPv4 or IPv6 packet seen on the underlay, from its bytes
// alone, the way a capture would be read in Wireshark: ESP is decrypted with
// the keys the run wrote to keys/esp_sa, and every flow marker found is
// reported as seen either in clear or only inside protected packets. IP
// fragments (IPv4, or IPv6 Fragment headers) are held until their datagram is
// complete.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bytes.h"
#include "esp_codec.h"

namespace ipsecsim::harness {

// The classes of underlay packets, as the report names them (report.h).
enum class PacketClass { kEsp, kEspInUdp, kIke, kNattKeepalive, kGeneve, kClear };

inline const char* ToString(PacketClass c) {
  switch (c) {
    case PacketClass::kEsp:
      return "esp";
    case PacketClass::kEspInUdp:
      return "esp-in-udp";
    case PacketClass::kIke:
      return "ike";
    case PacketClass::kNattKeepalive:
      return "natt-keepalive";
    case PacketClass::kGeneve:
      return "geneve";
    case PacketClass::kClear:
      break;
  }
  return "clear";
}

struct Classified {
  std::string cls;                  // ToString(PacketClass)
  uint32_t packets = 1;             // underlay packets this covers (fragments of one datagram)
  uint64_t wireBytes = 0;           // IP packet lengths of those packets, summed
  uint32_t largestPacket = 0;       // the largest of them (IPv4 total length, IPv6 40 + payload)
  std::vector<int> clearFlows;      // markers readable on the wire
  std::vector<int> protectedFlows;  // markers found only after decryption
  bool undecryptable = false;       // ESP without a known key, or failing its ICV
};

struct ClassifierCounters {
  uint64_t malformed = 0;  // not a well-formed IPv4 or IPv6 packet: counted and dropped
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
  using Address = std::array<uint8_t, 16>;  // IPv6, or IPv4-mapped (::ffff:a.b.c.d)
  struct FragmentKey {
    uint32_t channel = 0;
    uint8_t version = 0;  // 4 or 6: an IPv4 and an IPv6 datagram never share a key
    Address src{}, dst{};
    uint32_t id = 0;    // 16 bits in IPv4, 32 in the IPv6 Fragment header
    uint8_t proto = 0;  // IPv4 only: part of its fragment identity (RFC 791)
    bool operator<(const FragmentKey& o) const;
  };
  // One packet as reassembly sees it: a piece of a datagram's payload.
  struct Piece {
    FragmentKey key;
    uint8_t proto = 0;  // IPv4 protocol, or IPv6 Next Header after the unfragmentable part
    const uint8_t* payload = nullptr;
    size_t payloadLen = 0;
    uint32_t offset = 0;  // bytes
    bool more = false;
    uint32_t wireLength = 0;
  };
  struct Reassembly {
    std::map<uint32_t, Bytes> pieces;  // offset -> bytes
    uint32_t total = 0;                // known once the last fragment arrived
    uint32_t fragments = 0;
    uint64_t wireBytes = 0;
    uint32_t largestPacket = 0;
    uint8_t proto = 0;  // from the first fragment
  };

  static bool ParseIpv4(const uint8_t* data, size_t len, uint32_t channel, Piece* piece);
  static bool ParseIpv6(const uint8_t* data, size_t len, uint32_t channel, Piece* piece);
  bool Reassemble(const Piece& piece, Classified* out);
  bool ClassifyPayload(uint8_t version, uint8_t proto, const uint8_t* data, size_t len,
                       Classified* out);
  bool ClassifyDatagram(uint8_t proto, const uint8_t* l4, size_t len, Classified* out);
  void DecryptInto(const uint8_t* esp, size_t len, Classified* out);

  std::unordered_map<uint32_t, std::unique_ptr<esp::GcmKey>> keys_;
  std::map<FragmentKey, Reassembly> reassembly_;
  mutable ClassifierCounters counters_;
};

}  // namespace ipsecsim::harness
