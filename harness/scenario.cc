#include "scenario.h"

#include <algorithm>

namespace ipsecsim::harness {

std::string PrintableText(const std::string& text) {
  // A message names the user's file, key and value; a 100 KB argument must
  // not become a 100 KB message.
  constexpr size_t kMaxShown = 1024;
  std::string out;
  out.reserve(std::min(text.size(), kMaxShown));
  for (unsigned char c : text) {
    if (out.size() >= kMaxShown) {
      out += "... (" + std::to_string(text.size()) + " bytes in all)";
      break;
    }
    if (c >= 0x20 && c != 0x7f) {
      out.push_back(char(c));
      continue;
    }
    static const char kHex[] = "0123456789abcdef";
    out += "\\x";
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::vector<std::string> Scenario::NodeNames() const {
  std::vector<std::string> names;
  for (const PoolSpec& pool : cluster.pools) {
    for (int i = 0; i < pool.nodes; ++i) names.push_back(pool.name + "-" + std::to_string(i));
  }
  return names;
}

const PodSpec* Scenario::FindPod(const std::string& name) const {
  auto it =
      std::find_if(pods.begin(), pods.end(), [&](const PodSpec& pod) { return pod.name == name; });
  return it == pods.end() ? nullptr : &*it;
}

bool Scenario::HasNode(const std::string& name) const {
  std::vector<std::string> names = NodeNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool Scenario::HasExternalHost(const std::string& name) const {
  if (!external) return false;
  for (const ExternalHostSpec& host : external->hosts)
    if (host.name == name) return true;
  return false;
}

const char* ToString(IpsecMode m) {
  switch (m) {
    case IpsecMode::kDisabled:
      return "Disabled";
    case IpsecMode::kExternal:
      return "External";
    case IpsecMode::kFull:
      return "Full";
  }
  return "?";
}

const char* ToString(Protocol p) {
  switch (p) {
    case Protocol::kUdp:
      return "udp";
    case Protocol::kTcp:
      return "tcp";
    case Protocol::kIcmp:
      return "icmp";
  }
  return "?";
}

const char* ToString(IpFamily f) { return f == IpFamily::kIpv6 ? "ipv6" : "ipv4"; }

const char* ToString(TunnelDf d) {
  switch (d) {
    case TunnelDf::kSet:
      return "set";
    case TunnelDf::kClear:
      return "clear";
    case TunnelDf::kInherit:
      return "inherit";
  }
  return "?";
}

const char* ToString(Encapsulation e) {
  switch (e) {
    case Encapsulation::kAuto:
      return "Auto";
    case Encapsulation::kAlways:
      return "Always";
  }
  return "?";
}

const std::vector<std::string>& VerdictNames() {
  static const std::vector<std::string> kVerdicts = {"encrypted", "plaintext", "local", "dropped",
                                                     "mixed"};
  return kVerdicts;
}

const std::vector<std::string>& LifecycleMetricNames() {
  static const std::vector<std::string> names = {"broken_pairs",    "black_holed_pairs",
                                                 "pairs_up",        "probe_pairs_losing",
                                                 "nb_global_ipsec", "nb_global_ipsec_encapsulation",
                                                 "sa_count",        "policy_count",
                                                 "reboots",         "daemonsets",
                                                 "version",         "clear_pairs",
                                                 "pod_mtu",         "mtu_changes"};
  return names;
}

}  // namespace ipsecsim::harness
