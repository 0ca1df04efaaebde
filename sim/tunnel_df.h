// The DF bit OVS puts on the Geneve tunnel's outer IPv4 header: always
// (OVS's default, df_default=true), never, or copied from the inner packet
// (the scenario's cluster.tunnel_df).
#pragma once

#include <optional>
#include <string>

namespace ipsecsim::sim {

enum class TunnelDfPolicy { kSet, kClear, kInherit };

inline const char* ToString(TunnelDfPolicy d) {
  switch (d) {
    case TunnelDfPolicy::kSet:
      return "set";
    case TunnelDfPolicy::kClear:
      return "clear";
    case TunnelDfPolicy::kInherit:
      return "inherit";
  }
  return "?";
}

inline std::optional<TunnelDfPolicy> ParseTunnelDf(const std::string& text) {
  for (TunnelDfPolicy d : {TunnelDfPolicy::kSet, TunnelDfPolicy::kClear, TunnelDfPolicy::kInherit})
    if (text == ToString(d)) return d;
  return std::nullopt;
}

}  // namespace ipsecsim::sim
