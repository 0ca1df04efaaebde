// The UDP ports of the protocols that carry pod-to-pod IPsec, in one place
// for the models, the simulated cluster and the scenario checks.
#pragma once

#include <cstdint>

namespace ipsecsim::ports {

inline constexpr uint16_t kIke = 500;  // IKEv2 (RFC 7296 §2)
inline constexpr uint16_t kNatt =
    4500;  // IKE and ESP in UDP after NAT-T (RFC 3948 §2, RFC 7296 §2.23)
inline constexpr uint16_t kGeneve = 6081;  // Geneve, OVN's tunnel (RFC 8926 §3.3)

}  // namespace ipsecsim::ports
