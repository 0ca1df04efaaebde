// Drop and error counters named after Linux /proc/net/xfrm_stat.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ipsecsim {

enum class XfrmStat : uint8_t {
  kInError,            // XfrmInError: generic inbound error (e.g. no memory)
  kInBufferError,      // XfrmInBufferError
  kInHdrError,         // XfrmInHdrError: truncated or malformed packet
  kInNoStates,         // XfrmInNoStates: no SA for the SPI
  kInStateProtoError,  // XfrmInStateProtoError: ICV mismatch, bad trailer
  kInStateModeError,   // XfrmInStateModeError
  kInStateSeqError,    // XfrmInStateSeqError: replayed or too old
  kInStateExpired,     // XfrmInStateExpired: hard lifetime reached
  kInNoPols,           // XfrmInNoPols
  kInPolBlock,         // XfrmInPolBlock: discard policy
  kInTmplMismatch,     // XfrmInTmplMismatch: clear packet for a protected selector
  kOutError,           // XfrmOutError
  kOutNoStates,        // XfrmOutNoStates: trap policy without an SA
  kOutStateSeqError,   // XfrmOutStateSeqError: sequence space exhausted
  kOutStateExpired,    // XfrmOutStateExpired
  kOutPolBlock,        // XfrmOutPolBlock: discard policy
  kCount
};

const char* XfrmStatName(XfrmStat stat);

// One node's (or one SA's) counters, printable in the order of xfrm_stat.
class XfrmCounters {
 public:
  void Increment(XfrmStat stat, uint64_t n = 1) { values_[size_t(stat)] += n; }
  uint64_t Get(XfrmStat stat) const { return values_[size_t(stat)]; }
  void Add(const XfrmCounters& other);
  uint64_t Total() const;
  // Counters that are not zero, as (name, value) in xfrm_stat order.
  std::vector<std::pair<std::string, uint64_t>> NonZero() const;

 private:
  std::array<uint64_t, size_t(XfrmStat::kCount)> values_{};
};

}  // namespace ipsecsim
