#include "replay_window.h"

namespace ipsecsim::esp {

ReplayWindow::ReplayWindow(uint32_t size) : size_(size == 0 ? 1 : size) {
  bits_.assign((size_ + 63) / 64, 0);
}

uint64_t ReplayWindow::InferSequence(uint32_t seqLow, bool esn) const {
  if (!esn) return seqLow;
  // RFC 4303 Appendix A2.2, with Tl/Th the halves of the highest number seen.
  const uint32_t tl = uint32_t(top_);
  const uint32_t th = uint32_t(top_ >> 32);
  const uint32_t w = size_;
  uint32_t seqHigh;
  if (tl >= w - 1) {  // case A: window within one sequence subspace
    seqHigh = seqLow >= tl - w + 1 ? th : th + 1;
  } else {  // case B: window spans two subspaces
    // Before the first wrap there is no earlier subspace to fall back into.
    seqHigh = (seqLow >= uint32_t(tl - w + 1) && th > 0) ? th - 1 : th;
  }
  return uint64_t(seqHigh) << 32 | seqLow;
}

bool ReplayWindow::Check(uint64_t seq) const {
  if (seq == 0) return false;
  if (seq > top_) return true;
  if (top_ - seq >= size_) return false;  // left of the window
  return !TestBit(seq);
}

void ReplayWindow::Accept(uint64_t seq) {
  if (seq > top_) {
    const uint64_t advance = seq - top_;
    if (advance >= bits_.size() * 64) {
      std::fill(bits_.begin(), bits_.end(), 0);
    } else {
      for (uint64_t s = top_ + 1; s <= seq; ++s) ClearBit(s);
    }
    top_ = seq;
  }
  SetBit(seq);
}

bool ReplayWindow::TestBit(uint64_t seq) const {
  const uint64_t i = seq % (bits_.size() * 64);
  return bits_[i / 64] >> (i % 64) & 1;
}
void ReplayWindow::SetBit(uint64_t seq) {
  const uint64_t i = seq % (bits_.size() * 64);
  bits_[i / 64] |= uint64_t(1) << (i % 64);
}
void ReplayWindow::ClearBit(uint64_t seq) {
  const uint64_t i = seq % (bits_.size() * 64);
  bits_[i / 64] &= ~(uint64_t(1) << (i % 64));
}

}  // namespace ipsecsim::esp
