#include "xfrm_stat.h"

namespace ipsecsim {

const char* XfrmStatName(XfrmStat stat) {
  switch (stat) {
    case XfrmStat::kInError:
      return "XfrmInError";
    case XfrmStat::kInBufferError:
      return "XfrmInBufferError";
    case XfrmStat::kInHdrError:
      return "XfrmInHdrError";
    case XfrmStat::kInNoStates:
      return "XfrmInNoStates";
    case XfrmStat::kInStateProtoError:
      return "XfrmInStateProtoError";
    case XfrmStat::kInStateModeError:
      return "XfrmInStateModeError";
    case XfrmStat::kInStateSeqError:
      return "XfrmInStateSeqError";
    case XfrmStat::kInStateExpired:
      return "XfrmInStateExpired";
    case XfrmStat::kInNoPols:
      return "XfrmInNoPols";
    case XfrmStat::kInPolBlock:
      return "XfrmInPolBlock";
    case XfrmStat::kInTmplMismatch:
      return "XfrmInTmplMismatch";
    case XfrmStat::kOutError:
      return "XfrmOutError";
    case XfrmStat::kOutNoStates:
      return "XfrmOutNoStates";
    case XfrmStat::kOutStateSeqError:
      return "XfrmOutStateSeqError";
    case XfrmStat::kOutStateExpired:
      return "XfrmOutStateExpired";
    case XfrmStat::kOutPolBlock:
      return "XfrmOutPolBlock";
    case XfrmStat::kCount:
      break;
  }
  return "?";
}

void XfrmCounters::Add(const XfrmCounters& other) {
  for (size_t i = 0; i < values_.size(); ++i) values_[i] += other.values_[i];
}

uint64_t XfrmCounters::Total() const {
  uint64_t sum = 0;
  for (uint64_t v : values_) sum += v;
  return sum;
}

std::vector<std::pair<std::string, uint64_t>> XfrmCounters::NonZero() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (size_t i = 0; i < values_.size(); ++i) {
    if (values_[i] != 0) out.emplace_back(XfrmStatName(XfrmStat(i)), values_[i]);
  }
  return out;
}

}  // namespace ipsecsim
