// What ovs-monitor-ipsec writes before its connections in
// /etc/ipsec.d/openshift.conf (openvswitch/ovs v3.1.0
// ipsec/ovs-monitor-ipsec.in, LibreSwanHelper.CONF_HEADER; the cluster
// network operator runs it with --ipsec-conf /etc/ipsec.d/openshift.conf).
// `ipsecsim check` compares user conns with its %default; a run parses it
// into the node's include tree.
#pragma once

#include <map>
#include <string>

namespace ipsecsim::check {

inline constexpr const char* kOpenshiftConf = "/etc/ipsec.d/openshift.conf";
inline constexpr const char* kOvsMonitorConfHeader =
    "config setup\n"
    "    uniqueids=yes\n"
    "\n"
    "conn %default\n"
    "    keyingtries=%forever\n"
    "    type=transport\n"
    "    auto=route\n"
    "    ike=aes_gcm256-sha2_256\n"
    "    esp=aes_gcm256\n"
    "    ikev2=insist\n";

// The header's conn %default, key by key.
const std::map<std::string, std::string>& OvnDefaults();

}  // namespace ipsecsim::check
