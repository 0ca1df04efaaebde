// Anti-replay window of RFC 4303 §3.4.3, with extended sequence number
// inference per RFC 4303 Appendix A.
#pragma once

#include <cstdint>
#include <vector>

namespace ipsecsim::esp {

class ReplayWindow {
 public:
  explicit ReplayWindow(uint32_t size = 128);

  uint32_t Size() const { return size_; }
  // The full 64-bit number a received low half most likely stands for.
  uint64_t InferSequence(uint32_t seqLow, bool esn) const;
  // True when seq is new and not left of the window. Call before the ICV check.
  bool Check(uint64_t seq) const;
  // Marks seq received. Call only after the ICV was verified.
  void Accept(uint64_t seq);
  uint64_t Highest() const { return top_; }

 private:
  bool TestBit(uint64_t seq) const;
  void SetBit(uint64_t seq);
  void ClearBit(uint64_t seq);

  uint32_t size_;
  uint64_t top_ = 0;            // highest sequence number accepted; 0 before any
  std::vector<uint64_t> bits_;  // ring: bit (seq % capacity) marks seq received
};

}  // namespace ipsecsim::esp
