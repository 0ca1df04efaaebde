#include "scenario.h"

#include <algorithm>

namespace ipsecsim::harness {

namespace {

// The length of the well-formed UTF-8 sequence at text[at] (RFC 3629 4: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0.
size_t Utf8Length(const std::string& text, size_t at) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char c = byte(at);
  size_t n = 0;
  unsigned char low = 0x80, high = 0xbf;  // the second byte's range
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) low = 0xa0;
    if (c == 0xed) high = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) low = 0x90;
    if (c == 0xf4) high = 0x8f;
  } else {
    return 0;
  }
  if (at + n > text.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (size_t i = 2; i < n; ++i)
    if (byte(at + i) < 0x80 || byte(at + i) > 0xbf) return 0;
  return n;
}

}  // namespace

std::string PrintableText(const std::string& text) {
  // A message names the user's file, key and value; a 100 KB argument must
  // not become a 100 KB message, and bytes that are not UTF-8 text (a binary
  // file's, say) are written as \xNN, as control characters are.
  constexpr size_t kMaxShown = 1024;
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::min(text.size(), kMaxShown));
  for (size_t at = 0; at < text.size();) {
    if (out.size() >= kMaxShown) {
      out += "... (" + std::to_string(text.size()) + " bytes in all)";
      break;
    }
    const unsigned char c = static_cast<unsigned char>(text[at]);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(char(c));
      ++at;
      continue;
    }
    if (const size_t n = c >= 0x80 ? Utf8Length(text, at) : 0) {
      out.append(text, at, n);
      at += n;
      continue;
    }
    out += "\\x";
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
    ++at;
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

const char* ToString(Encapsulation e) {
  switch (e) {
    case Encapsulation::kAuto:
      return "Auto";
    case Encapsulation::kAlways:
      return "Always";
  }
  return "?";
}

const std::vector<std::string>& LifecycleMetricNames() {
  static const std::vector<std::string> names = {"broken_pairs",
                                                 "black_holed_pairs",
                                                 "pairs_up",
                                                 "probe_pairs_losing",
                                                 "nb_global_ipsec",
                                                 "nb_global_ipsec_encapsulation",
                                                 "sa_count",
                                                 "policy_count",
                                                 "reboots",
                                                 "daemonsets",
                                                 "version",
                                                 "clear_pairs",
                                                 "pod_mtu",
                                                 "mtu_changes",
                                                 "certificate_renewals",
                                                 "ca_generations",
                                                 "certificate_rejections"};
  return names;
}

}  // namespace ipsecsim::harness
