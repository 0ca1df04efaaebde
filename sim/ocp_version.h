// An OpenShift/OKD minor version such as "4.15".
#pragma once

#include <optional>
#include <string>

namespace ipsecsim::sim {

struct OcpVersion {
  int major = 4;
  int minor = 15;

  // "4.15" -> {4, 15}; nullopt for anything else.
  static std::optional<OcpVersion> Parse(const std::string& text);
  std::string ToString() const { return std::to_string(major) + "." + std::to_string(minor); }
  bool operator<(const OcpVersion& o) const {
    return major != o.major ? major < o.major : minor < o.minor;
  }
  bool operator==(const OcpVersion& o) const { return major == o.major && minor == o.minor; }
  bool AtLeast(int maj, int min) const { return !(*this < OcpVersion{maj, min}); }
};

}  // namespace ipsecsim::sim
