// Findings from a Libreswan configuration alone: what Libreswan itself says
// about it, the keys ipsecsim does not act on, and what it does beside
// OVN's pod-to-pod IPsec on the same pluto (docs/external-endpoints.md).
#pragma once

#include <string>
#include <vector>

#include "check_options.h"
#include "conf_resolve.h"
#include "finding.h"

namespace ipsecsim::check {

// A conn's certificate nickname, for the NSS import checks.
struct CertReference {
  std::string conn;
  std::string nickname;
  std::string file;
  int line = 0;
};

struct ConfCheck {
  bool readable = false;
  libreswan::ResolvedConfig config;
  std::vector<CertReference> certs;  // leftcert= of every loaded conn
};

// `installName` is the file's name in /etc/ipsec.d/ on the node (it decides
// whether it is parsed before or after OVN's openshift.conf); `text` its
// content, `display` the name used in findings, `diskPath` the file to read
// includes relative to (empty: text only).
ConfCheck CheckConf(const std::string& text, const std::string& display,
                    const std::string& installName, const CheckOptions& options,
                    Findings& findings);

// ovs-monitor-ipsec's reading of a connection name (ipsec/ovs-monitor-ipsec.in):
// re.match(r"(.*)(-in-\d+|-out-\d+)") or re.match(r"(.*)(-\d+)").
bool LooksLikeOvsTunnelConn(const std::string& name);

}  // namespace ipsecsim::check
