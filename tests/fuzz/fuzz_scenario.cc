// libFuzzer target for the scenario loader: any input must either load into a
// consistent Scenario or raise ScenarioError; nothing else may escape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

// What the simulator relies on after a successful load.
void CheckInvariants(const Scenario& s) {
  const ClusterSpec& c = s.cluster;
  bool mtuOk = c.hostMtu >= 576 && c.hostMtu <= 9216 && c.clusterMtu >= 576 &&
               c.clusterMtu <= c.hostMtu - 100;
  if (!mtuOk || c.pools.empty() || s.name.empty()) __builtin_trap();
  for (const PodSpec& pod : s.pods) {
    if (!s.HasNode(pod.node) || s.HasNode(pod.name)) __builtin_trap();
  }
  for (const FlowSpec& flow : s.flows) {
    bool fromOk = s.FindPod(flow.from) || s.HasNode(flow.from);
    bool toOk = s.FindPod(flow.to) || s.HasNode(flow.to);
    if (!fromOk || !toOk || flow.from == flow.to || flow.size < 16 || flow.packets < 1 ||
        flow.port < 1 || flow.port > 65535 || flow.startSeconds < 0 || flow.intervalSeconds < 0) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    CheckInvariants(LoadScenarioText(text, "fuzz.yaml"));
  } catch (const ScenarioError& e) {
    if (e.line < 0 || e.key.empty() || e.message.empty()) __builtin_trap();
  }
  return 0;
}
