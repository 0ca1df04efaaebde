// A flow's verdict from what the application received and what the wire
// oracle saw on the underlay (ARCHITECTURE: verdicts come from the wire).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ipsecsim::harness {

enum class VerdictKind { kEncrypted, kPlaintext, kLocal, kDropped, kMixed };

// The names a report and a scenario's expectations use, in the order above.
inline const std::vector<std::string>& VerdictNames() {
  static const std::vector<std::string> kNames = {"encrypted", "plaintext", "local", "dropped",
                                                  "mixed"};
  return kNames;
}

inline const std::string& ToString(VerdictKind kind) { return VerdictNames()[size_t(kind)]; }

struct VerdictInput {
  uint64_t sent = 0;
  uint64_t delivered = 0;
  uint64_t protectedPackets = 0;  // underlay packets carrying the marker only encrypted
  uint64_t clearPackets = 0;      // underlay packets with the marker readable
};

struct Verdict {
  std::string name;         // ToString(VerdictKind)
  std::string explanation;  // one line a network engineer can check
};

Verdict Decide(const VerdictInput& in);

}  // namespace ipsecsim::harness
