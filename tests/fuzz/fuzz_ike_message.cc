// libFuzzer target for the IKEv2 parser: the input is parsed as a whole
// message and, after its first byte (the first payload type), as an inner
// payload chain, where the traffic selectors of both families, IDs, CERT and
// AUTH live. Nothing may read out of bounds, every error must point inside
// the input, and what parses must re-encode to a canonical form that parses
// to itself.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ike_message.h"

using namespace ipsecsim;
using namespace ipsecsim::ike;

namespace {

template <typename T>
void CheckError(const ParseResult<T>& parsed, size_t end) {
  if (parsed.Error().offset > end || parsed.Error().expected.empty()) __builtin_trap();
}

void CheckMessage(const uint8_t* data, size_t size) {
  auto parsed = ParseMessage(data, size);
  if (!parsed.Ok()) {
    CheckError(parsed, size);
    return;
  }
  const Bytes canonical = EncodeMessage(parsed.Value());
  auto again = ParseMessage(canonical);
  if (!again.Ok() || EncodeMessage(again.Value()) != canonical) __builtin_trap();
}

void CheckInnerChain(const uint8_t* data, size_t size) {
  if (size == 0) return;
  constexpr size_t kBase = 32;  // as if after the IKE header and SK header
  const auto first = PayloadType(data[0]);
  auto parsed = ParsePayloadChain(data + 1, size - 1, kBase, first, false);
  if (!parsed.Ok()) {
    CheckError(parsed, kBase + size - 1);
    return;
  }
  Bytes canonical;
  const PayloadType again = EncodePayloadChain(parsed.Value(), &canonical);
  auto reparsed = ParsePayloadChain(canonical.data(), canonical.size(), kBase, again, false);
  Bytes twice;
  if (!reparsed.Ok()) __builtin_trap();
  EncodePayloadChain(reparsed.Value(), &twice);
  if (twice != canonical) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckMessage(data, size);
  CheckInnerChain(data, size);
  return 0;
}
