// What one pluto loads from its Libreswan configuration: each conn with
// auto= other than ignore becomes an IKE daemon connection, with its leftcert
// from the host's NSS database. Libreswan's rules, from ipsec.conf(5)
// (libreswan 4.10, Debian 12) unless noted:
//   - auto: add, ondemand (formerly route), start; ignore, the default, loads nothing;
//   - type: tunnel (the default) or transport;
//   - leftid: %fromcert is the certificate's DN; @name a literal FQDN;
//   - left/right: an address, %defaultroute (this host's), or right=%any.
// A setting ipsecsim's run cannot act on as Libreswan would is refused with
// its file:line (ExternalConfigError), never approximated.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "conf_resolve.h"
#include "connection_defaults.h"
#include "ike_connection.h"
#include "nss_store.h"

namespace ipsecsim::external {

// The label ovs-monitor-ipsec's openshift.conf carries in a node's tree
// (harness/external parses its header among the user's files).
inline constexpr const char* kOvnHeaderLabel = "(ovs-monitor-ipsec's header)";

class ExternalConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PlutoLoad {
  std::vector<ike::ConnectionConfig> connections;
  // pluto's messages while loading: conns it refuses (a missing leftcert),
  // and the settings the run reads but does not act on.
  std::vector<std::string> log;
  // config setup uniqueids (libreswan v4.10 lib/libipsecconf/confread.c:
  // yes unless set to no).
  bool uniqueIds = true;
  // What the merged `conn %default` gives ovs-monitor-ipsec's conns, which
  // set only left, right, leftid, rightid, leftcert, leftrsasigkey, rightca
  // and the protoports (openvswitch/ovs v3.1.0 ipsec/ovs-monitor-ipsec.in,
  // LibreSwanHelper.auth_tmpl["pki_ca"] and transp_tmpl["geneve"]).
  ike::ConnectionDefaults ovnDefaults;
};

// `localAddress`: the host's own address (left=%defaultroute, and what
// decides which side is left).
PlutoLoad LoadConnections(const libreswan::ResolvedConfig& config, const NssStore& nss,
                          const ike::IpAddress& localAddress);

}  // namespace ipsecsim::external
