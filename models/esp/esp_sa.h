// Transport-mode ESP security associations: the sender's sequence and IV
// counters, and the receiver's ICV check and anti-replay window.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "bytes.h"
#include "esp_codec.h"
#include "replay_window.h"
#include "xfrm_stat.h"

namespace ipsecsim::esp {

struct SaConfig {
  uint32_t spi = 0;
  Bytes keymat;                 // AES key || 4-byte salt
  bool esn = false;             // extended (64-bit) sequence numbers
  uint32_t replayWindow = 128;  // Libreswan's default replay-window
  // seqiv's per-SA salt (crypto/seqiv.c): each IV is the 64-bit sequence
  // number XOR this value. Zero gives IV = sequence number (test vectors).
  uint64_t ivSalt = 0;
};

// The salt the kernel's seqiv draws from its RNG when an SA's AEAD is
// instantiated, here derived from a per-run seed and the SA so that the same
// seed gives the same IVs: SplitMix64 of seed, SPI and a word of the
// destination address.
uint64_t SeqivSalt(uint64_t seed, uint32_t spi, uint64_t destination);

class OutboundSa {
 public:
  static constexpr uint64_t kFirstSequence = 1;
  // Returns nullptr and sets *error for a bad KEYMAT.
  static std::unique_ptr<OutboundSa> Create(const SaConfig& config, std::string* error);

  // Encrypts one payload; nullopt when the sequence space is exhausted
  // (the sender must never wrap: RFC 4303 §3.3.3). IV = the sequence number
  // XOR the SA's salt, unique per packet within the SA (seqiv).
  std::optional<Bytes> Protect(uint8_t nextHeader, const uint8_t* payload, size_t len);
  // Protect without allocating (the simulator's data path): the payload already
  // sits at packet + kPayloadOffset and packet has room for SealedLength(len).
  // Returns the ESP packet's length.
  std::optional<size_t> ProtectInPlace(uint8_t nextHeader, uint8_t* packet, size_t len);
  bool Exhausted() const;
  uint64_t NextSequence() const { return nextSeq_; }
  // Lets tests and rekey studies start near the end of the sequence space.
  void SetNextSequence(uint64_t seq) { nextSeq_ = seq; }
  const SaConfig& Config() const { return config_; }
  uint64_t Packets() const { return packets_; }
  uint64_t ByteCount() const { return bytes_; }

 private:
  SaConfig config_;
  std::unique_ptr<GcmKey> key_;
  uint64_t nextSeq_ = kFirstSequence;
  uint64_t packets_ = 0;
  uint64_t bytes_ = 0;
};

class InboundSa {
 public:
  static std::unique_ptr<InboundSa> Create(const SaConfig& config, std::string* error);

  struct Result {
    bool ok = false;
    XfrmStat drop = XfrmStat::kInError;  // why, when !ok
    uint8_t nextHeader = 0;
    uint64_t seq = 0;
    Bytes payload;
  };
  // Checks replay, verifies the ICV, decrypts, then advances the window.
  // Drops are counted in Counters() and in *nodeCounters when given.
  Result Process(const uint8_t* packet, size_t len, XfrmCounters* nodeCounters = nullptr);

  struct InPlaceResult {
    bool ok = false;
    XfrmStat drop = XfrmStat::kInError;  // why, when !ok
    uint8_t nextHeader = 0;
    uint64_t seq = 0;
    size_t payloadLen = 0;  // the payload is at packet + kPayloadOffset
  };
  // Process without allocating: decrypts over the ciphertext in packet.
  InPlaceResult ProcessInPlace(uint8_t* packet, size_t len, XfrmCounters* nodeCounters = nullptr);

  const SaConfig& Config() const { return config_; }
  const XfrmCounters& Counters() const { return counters_; }
  uint64_t Packets() const { return packets_; }
  uint64_t ByteCount() const { return bytes_; }
  const ReplayWindow& Window() const { return window_; }

 private:
  explicit InboundSa(const SaConfig& c) : config_(c), window_(c.replayWindow) {}
  InPlaceResult Drop(XfrmStat why, XfrmCounters* nodeCounters);

  SaConfig config_;
  std::unique_ptr<GcmKey> key_;
  ReplayWindow window_;
  XfrmCounters counters_;
  uint64_t packets_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace ipsecsim::esp
