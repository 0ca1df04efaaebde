#include "check_conf.h"

#include <map>
#include <set>

#include "conf_checks.h"
#include "conf_keywords.h"
#include "conf_parser.h"
#include "ovs_monitor_conf.h"

namespace ipsecsim::check {

namespace {

using libreswan::ResolvedConn;
using libreswan::ResolvedSetting;

// Libreswan's own defaults for the keys OVN's %default sets (ipsec.conf(5)).
const std::map<std::string, std::string> kLibreswanDefaults = {
    {"type", "tunnel"},
    {"auto", "ignore"},
    {"ike", "the crypto-policy's proposals"},
    {"esp", "the crypto-policy's proposals"},
    {"ikev2", "yes"},
    {"keyingtries", "%forever"}};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void CheckSelectors(const ResolvedConn& conn, const CheckOptions& options, Findings& findings) {
  std::vector<libreswan::Subnet> machine;
  for (const std::string& cidr : options.machineNetworks)
    if (auto s = libreswan::ParseSubnet(cidr)) machine.push_back(*s);
  for (const char* key : {"leftsubnet", "rightsubnet"}) {
    const ResolvedSetting* s = conn.Find(key);
    if (!s) continue;
    auto subnet = libreswan::ParseSubnet(s->setting.value);
    if (!subnet) continue;
    const int line = s->setting.where.line;
    const std::string& where = s->setting.where.file;
    if (subnet->prefix == 0) {
      findings.Add(Level::kError, where, line, "interference",
                   "conn " + conn.name + ": " + key + "=" + s->setting.value +
                       " captures every host's traffic, node-to-node included (API server, "
                       "etcd, kubelet, host-network pods) into this connection; OVN's /32 UDP "
                       "6081 policies still win for Geneve");
      continue;
    }
    for (const libreswan::Subnet& m : machine) {
      if (!subnet->Overlaps(m)) continue;
      findings.Add(Level::kError, where, line, "interference",
                   "conn " + conn.name + ": " + key + "=" + s->setting.value +
                       " spans the machine network " + m.Describe() +
                       ": node-to-node host traffic (API server, etcd, kubelet) is captured "
                       "into this connection; OVN's /32 UDP 6081 policies still win for Geneve");
    }
  }
  for (const char* key : {"leftprotoport", "rightprotoport"}) {
    const ResolvedSetting* s = conn.Find(key);
    if (s && (s->setting.value == "udp/6081" || s->setting.value == "17/6081"))
      findings.Add(Level::kError, s->setting.where.file, s->setting.where.line, "interference",
                   "conn " + conn.name + ": " + key + "=" + s->setting.value +
                       " selects Geneve (UDP 6081), the traffic OVN's pod-to-pod connections "
                       "protect");
  }
  if (const ResolvedSetting* s = conn.Find("right")) {
    for (const libreswan::Subnet& m : machine) {
      auto host = libreswan::ParseSubnet(s->setting.value);
      if (host && m.Contains(*host))
        findings.Add(Level::kWarning, s->setting.where.file, s->setting.where.line, "interference",
                     "conn " + conn.name + ": right=" + s->setting.value +
                         " is inside the machine network " + m.Describe() +
                         ": if it is a cluster node, this duplicates OVN's host pair");
    }
  }
}

void CheckPorts(const ResolvedConn& conn, const std::string& file, Findings& findings) {
  const std::string right = conn.Get("right");
  const std::string encapsulation = conn.Get("encapsulation", "auto");
  std::string needs = "UDP 500 (IKE) and UDP 4500 (IKE and ESP after NAT detection)";
  if (encapsulation == "yes")
    needs =
        "UDP 500 (IKE) and UDP 4500 (encapsulation=yes: ESP always in UDP 4500; no IP "
        "protocol 50)";
  else
    needs += ", and ESP (IP protocol 50) while no NAT is detected";
  findings.Add(Level::kNote, file, conn.where.line, "ports",
               "conn " + conn.name + ": every node and the external host " +
                   (right.empty() ? std::string("(right= unset)") : right) + " must pass " + needs +
                   ", both ways");
}

void CheckConn(const ResolvedConn& conn, const libreswan::ResolvedConfig& config,
               bool parsedBeforeOvn, const CheckOptions& options, const std::string& file,
               ConfCheck& out, Findings& findings) {
  if (LooksLikeOvsTunnelConn(conn.name))
    findings.Add(Level::kError, conn.where.file, conn.where.line, "interference",
                 "conn " + conn.name +
                     ": ovs-monitor-ipsec reads a name with a hyphen "
                     "followed by digits as one of its tunnels (\"<interface>-<version>\"); it is "
                     "no OVS tunnel, so the monitor deletes it as outdated (`ipsec auto --delete`) "
                     "whenever it refreshes. Rename it without \"-<digit>\"");
  if (conn.name.rfind("ovn-", 0) == 0)
    findings.Add(Level::kError, conn.where.file, conn.where.line, "interference",
                 "conn " + conn.name +
                     ": the ovn- prefix is the one OVN's own connections "
                     "use; a duplicate name is refused (\"attempt to redefine connection\")");
  if (!conn.loaded) return;
  // What this conn inherits from OVN's %default on a node that runs pod-to-pod IPsec.
  std::vector<std::string> inherited;
  for (const auto& [key, ovnValue] : OvnDefaults()) {
    const ResolvedSetting* own = conn.Find(key);
    if (own && own->origin != ResolvedSetting::Origin::kDefault) continue;
    if (own && !parsedBeforeOvn) continue;  // the user's %default is parsed last and wins
    if (kLibreswanDefaults.at(key) == ovnValue) continue;  // no difference to report
    inherited.push_back(key + "=" + ovnValue +
                        " (Libreswan's default: " + kLibreswanDefaults.at(key) + ")");
  }
  if (!inherited.empty())
    findings.Add(Level::kWarning, conn.where.file, conn.where.line, "interference",
                 "conn " + conn.name +
                     " leaves unset what OVN's %default in "
                     "/etc/ipsec.d/openshift.conf sets: with pod-to-pod IPsec on the node, pluto "
                     "loads it with " +
                     Join(inherited) + ". Set these keys in the conn");
  const std::string authby = conn.Get("authby");
  if (authby.find("secret") != std::string::npos)
    findings.Add(Level::kWarning, conn.where.file, conn.where.line, "interference",
                 "conn " + conn.name + ": authby=" + authby +
                     ": ovs-monitor-ipsec rewrites "
                     "/etc/ipsec.secrets with its own header only, so a pre-shared key there is "
                     "lost on a node with pod-to-pod IPsec; use certificates");
  const ResolvedSetting* cert = conn.Find("leftcert");
  if (cert)
    out.certs.push_back(
        {conn.name, cert->setting.value, cert->setting.where.file, cert->setting.where.line});
  else if (authby.find("secret") == std::string::npos && authby != "null")
    findings.Add(
        Level::kWarning, conn.where.file, conn.where.line, "certificate",
        "conn " + conn.name + " names no leftcert: no certificate from the bundle is used");
  if (const ResolvedSetting* p = conn.Find("priority"))
    findings.Add(Level::kWarning, p->setting.where.file, p->setting.where.line, "interference",
                 "conn " + conn.name + ": priority=" + p->setting.value +
                     " can place this conn's policies above OVN's");
  CheckSelectors(conn, options, findings);
  CheckPorts(conn, file, findings);
  (void)config;
}

}  // namespace

// ovs-monitor-ipsec's two patterns, (.*)(-in-\d+|-out-\d+) and (.*)(-\d+),
// both match exactly the names with a hyphen followed by a digit somewhere
// ("-in-1" holds "-1"), so that is what is scanned for. Not with std::regex:
// libstdc++'s matcher recurses once per character, and a conn name of a
// megabyte overflowed the stack.
bool LooksLikeOvsTunnelConn(const std::string& name) {
  for (size_t i = 0; i + 1 < name.size(); ++i)
    if (name[i] == '-' && name[i + 1] >= '0' && name[i + 1] <= '9') return true;
  return false;
}

ConfCheck CheckConf(const std::string& text, const std::string& display,
                    const std::string& installName, const CheckOptions& options,
                    Findings& findings) {
  ConfCheck out;
  libreswan::ConfTree tree;
  try {
    tree = libreswan::ReadConfText(text, display);
  } catch (const libreswan::ConfError& e) {
    findings.Add(Level::kMalformed, e.Where().file, e.Where().line, "syntax",
                 std::string(e.what()).substr(e.Where().Describe().size() + 2) +
                     ". Libreswan refuses the whole tree (\"cannot load config\"): on every node "
                     "pluto does not start, and pod-to-pod IPsec stops with it");
    return out;
  }
  out.readable = true;
  out.config = libreswan::Resolve(tree);
  libreswan::CheckLoadValues(out.config);
  for (const libreswan::ConfNotice& n : out.config.notices)
    findings.Add(n.level == libreswan::ConfNotice::Level::kError ? Level::kError : Level::kWarning,
                 n.where.file, n.where.line, "libreswan",
                 n.message + (n.level == libreswan::ConfNotice::Level::kError
                                  ? " (addconn loads the other conns; this one is not added)"
                                  : ""));
  // Keys read but not acted on: named, never dropped silently.
  for (const libreswan::Section& s : tree.sections)
    for (const libreswan::Setting& v : s.settings) {
      const libreswan::Keyword* k = libreswan::FindKeyword(v.key);
      if (k && !k->modelled)
        findings.Add(Level::kWarning, v.where.file, v.where.line, "unmodelled",
                     v.key + "=" + v.value + " is read but not modelled by ipsecsim");
    }
  const bool parsedBeforeOvn = installName < "openshift.conf";
  for (const libreswan::Section& s : tree.sections) {
    if (s.kind == libreswan::Section::Kind::kConfigSetup) {
      std::vector<std::string> keys;
      for (const libreswan::Setting& v : s.settings) keys.push_back(v.key);
      findings.Add(Level::kWarning, s.where.file, s.where.line, "interference",
                   "config setup" + (keys.empty() ? std::string() : " (" + Join(keys) + ")") +
                       ": merged into the one pluto's global setup, which the pod-to-pod daemon "
                       "shares; OVN's openshift.conf sets uniqueids=yes " +
                       (parsedBeforeOvn ? "after this file, so its value wins"
                                        : "before this file, so this file's value wins"));
    } else if (s.name == "%default") {
      std::vector<std::string> reachOvn, overridden;
      for (const libreswan::Setting& v : s.settings) {
        if (v.key == "also") continue;
        (OvnDefaults().count(v.key) && parsedBeforeOvn ? overridden : reachOvn).push_back(v.key);
      }
      std::string message =
          "conn %default: Libreswan merges every %default of the whole include tree into "
          "every conn, OVN's pod-to-pod conns included, at the next pluto start";
      if (!reachOvn.empty()) message += "; OVN's conns get " + Join(reachOvn);
      if (!overridden.empty())
        message += "; " + Join(overridden) +
                   " are also set by OVN's %default in openshift.conf, "
                   "parsed after " +
                   installName + ", whose values win for your conns too";
      findings.Add(Level::kError, s.where.file, s.where.line, "interference", message);
    }
  }
  for (const ResolvedConn& conn : out.config.conns)
    CheckConn(conn, out.config, parsedBeforeOvn, options, display, out, findings);
  if (out.config.conns.empty())
    findings.Add(Level::kWarning, display, 0, "libreswan", "no conn section: nothing to connect");
  return out;
}

}  // namespace ipsecsim::check
