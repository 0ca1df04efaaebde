#include "conf_keywords.h"

#include <algorithm>
#include <map>

namespace ipsecsim::libreswan {

namespace {

using K = KeywordSection;
using V = ValueKind;

// Keys the scope models; every other known key is read and named.
const std::vector<Keyword>& Table() {
  static const std::vector<Keyword> table = [] {
    std::vector<Keyword> t = {
        // conn keys ipsecsim acts on
        {"left", K::kConn, V::kText, {}, true},
        {"leftid", K::kConn, V::kText, {}, true},
        {"leftcert", K::kConn, V::kText, {}, true},
        {"leftrsasigkey", K::kConn, V::kText, {}, true},
        {"leftsubnet", K::kConn, V::kSubnet, {}, true},
        {"leftprotoport", K::kConn, V::kProtoPort, {}, true},
        {"leftca", K::kConn, V::kText, {}, true},
        {"authby", K::kConn, V::kText, {}, true},
        {"type",
         K::kConn,
         V::kEnum,
         {"tunnel", "transport", "pass", "passthrough", "reject", "drop"},
         true},
        {"auto",
         K::kConn,
         V::kEnum,
         {"ignore", "add", "ondemand", "route", "start", "up", "keep"},
         true},
        {"ikev2",
         K::kConn,
         V::kEnum,
         {"never", "permit", "propose", "insist", "yes", "always", "no"},
         true},
        {"ike", K::kConn, V::kText, {}, true},
        {"esp", K::kConn, V::kText, {}, true},
        {"encapsulation", K::kConn, V::kEnum, {"yes", "no", "auto"}, true},
        {"ikelifetime", K::kConn, V::kText, {}, true},
        {"salifetime", K::kConn, V::kText, {}, true},
        {"lifetime", K::kConn, V::kText, {}, true},  // alias of salifetime
        {"keylife", K::kConn, V::kText, {}, true},   // alias of salifetime
        {"dpddelay", K::kConn, V::kText, {}, true},
        {"dpdtimeout", K::kConn, V::kText, {}, true},
        {"dpdaction", K::kConn, V::kEnum, {"hold", "clear", "restart", "restart_by_peer"}, true},
        {"also", K::kConn, V::kText, {}, true},
        {"keyingtries", K::kConn, V::kText, {}, true},
        // config setup keys ipsecsim acts on
        {"uniqueids", K::kConfigSetup, V::kBool, {}, true},
    };
    // Documented conn keys ipsecsim reads but does not act on.
    for (std::string_view name : {"accept-redirect",
                                  "accept-redirect-to",
                                  "aggressive",
                                  "ah",
                                  "alsoflip",
                                  "cisco-unity",
                                  "clientaddrfamily",
                                  "compress",
                                  "decap-dscp",
                                  "dns-match-id",
                                  "enable-tcp",
                                  "esn",
                                  "failureshunt",
                                  "fake-strongswan",
                                  "fragmentation",
                                  "hostaddrfamily",
                                  "ignore-peer-dns",
                                  "ikepad",
                                  "initial-contact",
                                  "ipsec-interface",
                                  "ipsec-max-bytes",
                                  "ipsec-max-packets",
                                  "keyexchange",
                                  "labeled-ipsec",
                                  "leftaddresspool",
                                  "leftauth",
                                  "leftautheap",
                                  "leftcat",
                                  "leftckaid",
                                  "leftfirewall",
                                  "leftikeport",
                                  "leftmodecfgclient",
                                  "leftmodecfgserver",
                                  "leftnexthop",
                                  "leftsendcert",
                                  "leftsourceip",
                                  "leftsubnets",
                                  "leftupdown",
                                  "leftusername",
                                  "leftvti",
                                  "leftxauthclient",
                                  "leftxauthserver",
                                  "mark",
                                  "mark-in",
                                  "mark-out",
                                  "metric",
                                  "mobike",
                                  "modecfgbanner",
                                  "modecfgdns",
                                  "modecfgdomains",
                                  "modecfgpull",
                                  "ms-dh-downgrade",
                                  "mtu",
                                  "narrowing",
                                  "nat-ikev1-method",
                                  "nat-keepalive",
                                  "negotiationshunt",
                                  "nflog",
                                  "nic-offload",
                                  "nm-configured",
                                  "nopmtudisc",
                                  "overlapip",
                                  "pam-authorize",
                                  "pfs",
                                  "pfsgroup",
                                  "phase2",
                                  "phase2alg",
                                  "policy-label",
                                  "ppk",
                                  "priority",
                                  "redirect-to",
                                  "rekey",
                                  "rekeyfuzz",
                                  "rekeymargin",
                                  "remote-peer-type",
                                  "replay-window",
                                  "reqid",
                                  "require-id-on-certificate",
                                  "retransmit-interval",
                                  "retransmit-timeout",
                                  "sareftrack",
                                  "send-no-esp-tfc",
                                  "send-redirect",
                                  "send-vendorid",
                                  "sendca",
                                  "sha2-truncbug",
                                  "tcp-remoteport",
                                  "tfc",
                                  "vti-interface",
                                  "vti-routing",
                                  "vti-shared",
                                  "xauthby",
                                  "xauthfail"})
      t.push_back({name, K::kConn, V::kText, {}, false});
    for (std::string_view name : {"compress", "pfs", "rekey", "mobike", "narrowing", "nopmtudisc",
                                  "ikepad", "aggressive", "leftmodecfgclient", "leftmodecfgserver",
                                  "leftxauthclient", "leftxauthserver", "leftfirewall"}) {
      auto it = std::find_if(t.begin(), t.end(), [&](const Keyword& k) { return k.name == name; });
      if (it != t.end()) it->kind = V::kBool;
    }
    // Documented config setup keys.
    for (std::string_view name : {"audit-log",
                                  "crl-strict",
                                  "crlcheckinterval",
                                  "curl-iface",
                                  "curl-timeout",
                                  "ddos-ike-threshold",
                                  "ddos-mode",
                                  "dnssec-anchors",
                                  "dnssec-enable",
                                  "dnssec-rootkey-file",
                                  "dumpdir",
                                  "global-redirect",
                                  "global-redirect-to",
                                  "ike-socket-bufsize",
                                  "ike-socket-errqueue",
                                  "ikev1-policy",
                                  "ikev1-secctx-attr-type",
                                  "ipsecdir",
                                  "keep-alive",
                                  "listen",
                                  "listen-tcp",
                                  "listen-udp",
                                  "logappend",
                                  "logfile",
                                  "logip",
                                  "logtime",
                                  "max-halfopen-ike",
                                  "myvendorid",
                                  "nflog-all",
                                  "nhelpers",
                                  "nssdir",
                                  "ocsp-cache-max-age",
                                  "ocsp-cache-min-age",
                                  "ocsp-cache-size",
                                  "ocsp-enable",
                                  "ocsp-method",
                                  "ocsp-strict",
                                  "ocsp-timeout",
                                  "ocsp-trustname",
                                  "ocsp-uri",
                                  "plutodebug",
                                  "protostack",
                                  "seccomp",
                                  "secretsfile",
                                  "seedbits",
                                  "shuntlifetime",
                                  "statsbin",
                                  "syslog",
                                  "virtual-private",
                                  "xfrmlifetime",
                                  "ikeport",
                                  "nat-ikeport"})
      t.push_back({name, K::kConfigSetup, V::kText, {}, false});
    return t;
  }();
  return table;
}

}  // namespace

std::string LeftForm(std::string_view key) {
  if (key.substr(0, 5) == "right") return "left" + std::string(key.substr(5));
  return std::string(key);
}

const Keyword* FindKeyword(std::string_view key) {
  static const std::map<std::string, const Keyword*, std::less<>> index = [] {
    std::map<std::string, const Keyword*, std::less<>> m;
    for (const Keyword& k : Table()) m.emplace(std::string(k.name), &k);
    return m;
  }();
  auto exact = index.find(key);
  if (exact != index.end()) return exact->second;
  if (key.substr(0, 5) != "right") return nullptr;
  auto twin = index.find(LeftForm(key));
  if (twin == index.end() || twin->second->name.substr(0, 4) != "left") return nullptr;
  return twin->second;
}

bool IsValidBool(std::string_view value) {
  for (std::string_view ok : {"yes", "no", "true", "false", "on", "off"})
    if (value == ok) return true;
  return false;
}

std::string CanonicalValue(std::string_view key, std::string_view value) {
  static const std::map<std::pair<std::string_view, std::string_view>, std::string_view> aliases = {
      {{"auto", "route"}, "ondemand"},
      {{"auto", "up"}, "start"},
      {{"ikev2", "yes"}, "propose"},
      {{"ikev2", "always"}, "insist"},
      {{"ikev2", "no"}, "never"},
      {{"type", "passthrough"}, "pass"},
      {{"dpdaction", "restart_by_peer"}, "restart"}};
  auto it = aliases.find({key, value});
  return std::string(it == aliases.end() ? value : it->second);
}

}  // namespace ipsecsim::libreswan
