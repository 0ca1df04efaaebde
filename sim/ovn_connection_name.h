// The names the model gives OVN's two connections from one node to another
// (mechanics §2): "<local>-out-<remote>" carries the local node's Geneve to
// the remote one, "<local>-in-<remote>" the remote's to it. ovs-monitor-ipsec
// names them after the tunnel interface and its version instead
// ("<ifname>-out-<version>"); the model's names say which nodes they join.
#pragma once

#include <string>

namespace ipsecsim::sim {

enum class OvnDirection { kOut, kIn };

inline std::string OvnConnectionName(const std::string& local, const std::string& remote,
                                     OvnDirection direction) {
  return local + (direction == OvnDirection::kOut ? "-out-" : "-in-") + remote;
}

}  // namespace ipsecsim::sim
