#include "verdict.h"

namespace ipsecsim::harness {

Verdict Decide(const VerdictInput& in) {
  const std::string counts =
      std::to_string(in.delivered) + " of " + std::to_string(in.sent) + " delivered";
  if (in.delivered == 0) {
    return {ToString(VerdictKind::kDropped),
            "nothing delivered (0 of " + std::to_string(in.sent) + "); " +
                std::to_string(in.protectedPackets) + " protected and " +
                std::to_string(in.clearPackets) + " clear underlay packets seen"};
  }
  if (in.clearPackets > 0 && in.protectedPackets > 0) {
    return {ToString(VerdictKind::kMixed),
            counts + "; " + std::to_string(in.protectedPackets) + " underlay packets protected, " +
                std::to_string(in.clearPackets) + " with the payload readable in clear"};
  }
  if (in.clearPackets > 0) {
    return {ToString(VerdictKind::kPlaintext), counts + "; payload readable in clear in " +
                                                   std::to_string(in.clearPackets) +
                                                   " underlay packets"};
  }
  if (in.protectedPackets > 0) {
    return {ToString(VerdictKind::kEncrypted),
            counts + "; all " + std::to_string(in.protectedPackets) +
                " underlay packets protected, payload never in clear"};
  }
  return {ToString(VerdictKind::kLocal), counts + " without crossing the underlay (not encrypted)"};
}

}  // namespace ipsecsim::harness
