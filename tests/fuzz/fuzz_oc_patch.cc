// libFuzzer target for `oc patch` on the Network operator's object: the first
// byte picks the release (4.12 .. 4.19), the install-time ipsecConfig and the
// patch type; the rest is one or more patch bodies separated by NUL bytes,
// applied in turn. Every body must be applied or refused with an
// OperatorApiError; an applied one must leave an object that validates again
// and renders.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "network_operator.h"
#include "nul_separated.h"

using namespace ipsecsim::sim;

namespace {

const char* const kInstalled[] = {"null", "{}", R"({"mode":"Full"})", R"({"mode":"External"})",
                                  R"({"mode":"Disabled"})"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  const OcpVersion version{4, 12 + (selector & 7)};
  const bool jsonPatch = selector & 8;
  const std::vector<std::string> bodies = NulSeparated(data + 1, size - 1);
  std::optional<NetworkOperatorConfig> config;
  try {
    config.emplace(version, nlohmann::json::parse(kInstalled[(selector >> 4) % 5]));
  } catch (const OperatorApiError&) {
    return 0;  // this release refuses the install-time value
  }
  for (const std::string& body : bodies) {
    try {
      if (jsonPatch)
        config->ApplyJsonPatch(body);
      else
        config->ApplyMergePatch(body);
    } catch (const OperatorApiError& e) {
      if (std::string(e.what()).empty()) __builtin_trap();
      continue;
    }
    // What was accepted is what the operator holds: it must validate on a
    // fresh object and render.
    const nlohmann::json ipsec = config->Object().value(
        "/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig"_json_pointer, nlohmann::json());
    try {
      NetworkOperatorConfig again(version, ipsec);
      if (again.Intent() != config->Intent()) __builtin_trap();
    } catch (const OperatorApiError&) {
      __builtin_trap();
    }
    config->Render(Platform::kBaremetal, DaemonFixes::kStock);
  }
  return 0;
}
