#include "conf_checks.h"

#include <arpa/inet.h>

#include <cctype>

namespace ipsecsim::libreswan {

namespace {

bool InPrefix(const Subnet& net, const std::array<uint8_t, 16>& addr, int bits) {
  for (int i = 0; i < bits; ++i) {
    const int byte = i / 8;
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (i % 8));
    if ((net.address[byte] & mask) != (addr[byte] & mask)) return false;
  }
  return true;
}

bool IsNumber(std::string_view s, unsigned max) {
  if (s.empty() || s.size() > 5) return false;
  unsigned v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v <= max;
}

std::optional<std::string> ProtoPortProblem(std::string_view value) {
  const size_t slash = value.find('/');
  const std::string_view proto = value.substr(0, slash);
  static const char* kNames[] = {"tcp", "udp", "icmp", "ipv6-icmp", "sctp", "gre", "esp", "ah"};
  bool known = IsNumber(proto, 255);
  for (const char* n : kNames) known = known || proto == n;
  if (!known) return "first digit invalid";
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view port = value.substr(slash + 1);
  if (port == "%any" || IsNumber(port, 65535)) return std::nullopt;
  return "bad port";
}

}  // namespace

bool Subnet::Contains(const Subnet& inner) const {
  return ipv6 == inner.ipv6 && prefix <= inner.prefix && InPrefix(*this, inner.address, prefix);
}

bool Subnet::Overlaps(const Subnet& other) const {
  return Contains(other) || other.Contains(*this);
}

std::string Subnet::Describe() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(ipv6 ? AF_INET6 : AF_INET, address.data(), buf, sizeof buf);
  return std::string(buf) + "/" + std::to_string(prefix);
}

std::optional<Subnet> ParseSubnet(std::string_view text, std::string* why) {
  auto fail = [&](const char* reason) -> std::optional<Subnet> {
    if (why) *why = reason;
    return std::nullopt;
  };
  const size_t slash = text.find('/');
  const std::string addr(text.substr(0, slash));
  Subnet s;
  s.ipv6 = addr.find(':') != std::string::npos;
  if (inet_pton(s.ipv6 ? AF_INET6 : AF_INET, addr.c_str(), s.address.data()) != 1)
    return fail(slash == std::string_view::npos ? "no / in subnet specification"
                                                : "not a numeric address");
  const int maxBits = s.ipv6 ? 128 : 32;
  s.prefix = maxBits;
  if (slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    if (!IsNumber(bits, static_cast<unsigned>(maxBits)))
      return fail("non-contiguous or otherwise erroneous mask");
    s.prefix = std::stoi(std::string(bits));
  }
  for (int i = s.prefix; i < maxBits; ++i)
    if (s.address[i / 8] & (0x80 >> (i % 8))) return fail("improper subnet, host-part bits on");
  return s;
}

void CheckLoadValues(ResolvedConfig& config) {
  for (ResolvedConn& conn : config.conns) {
    auto fail = [&](const Setting& s, const std::string& message) {
      if (conn.loaded)
        config.notices.push_back(
            {ConfNotice::Level::kError, s.where, "while loading '" + conn.name + "': " + message});
      conn.loaded = false;
    };
    for (const char* key : {"leftsubnet", "rightsubnet"}) {
      const ResolvedSetting* s = conn.Find(key);
      if (!s || s->setting.value.empty()) continue;
      const std::string& v = s->setting.value;
      if (v.rfind("vhost:", 0) == 0 || v.rfind("vnet:", 0) == 0) continue;
      std::string why;
      if (!ParseSubnet(v, &why))
        fail(s->setting, std::string("bad subnet ") + key + "=" + v + " [" + why + "]");
    }
    for (const char* key : {"leftprotoport", "rightprotoport"}) {
      const ResolvedSetting* s = conn.Find(key);
      if (!s || s->setting.value.empty()) continue;
      if (auto why = ProtoPortProblem(s->setting.value))
        fail(s->setting, std::string("bad ") + key + "=" + s->setting.value + " [" + *why + "]");
    }
  }
}

}  // namespace ipsecsim::libreswan
