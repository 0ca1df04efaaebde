// How a cluster-network pod's traffic to a destination outside the cluster
// leaves its node (ovnKubernetesConfig.gatewayConfig.routingViaHost): through
// OVN's gateway router onto br-ex, SNATed by OVN (shared, the default), or
// through the management port into the host's own routing and iptables
// (local), where the host masquerades it and its xfrm sees it.
#pragma once

#include <optional>
#include <string>

namespace ipsecsim::sim {

enum class GatewayMode { kShared, kLocal };

inline const char* ToString(GatewayMode m) { return m == GatewayMode::kLocal ? "local" : "shared"; }

inline std::optional<GatewayMode> ParseGatewayMode(const std::string& text) {
  if (text == "shared") return GatewayMode::kShared;
  if (text == "local") return GatewayMode::kLocal;
  return std::nullopt;
}

}  // namespace ipsecsim::sim
