// An OpenShift/OKD version: a minor such as "4.15", or a z-stream such as
// "4.15.42". A bare minor stands for the minor's first GA z-stream, 4.N.0
// (docs/lifecycle.md, "Z-streams").
#pragma once

#include <optional>
#include <string>
#include <tuple>

namespace ipsecsim::sim {

struct OcpVersion {
  int major = 4;
  int minor = 15;
  int patch = 0;            // the z-stream; 0 when only the minor was given
  bool patchGiven = false;  // "4.15.0" rather than "4.15"

  // "4.15" -> {4, 15, 0}; "4.15.42" -> {4, 15, 42}; nullopt for anything else.
  static std::optional<OcpVersion> Parse(const std::string& text);
  // As written: "4.15" for a bare minor, "4.15.42" for a z-stream.
  std::string ToString() const;
  std::string ZStream() const;  // always with the z: "4.15.0"
  bool operator<(const OcpVersion& o) const {
    return std::tie(major, minor, patch) < std::tie(o.major, o.minor, o.patch);
  }
  bool operator==(const OcpVersion& o) const {
    return major == o.major && minor == o.minor && patch == o.patch;
  }
  bool AtLeast(int maj, int min) const { return std::tie(major, minor) >= std::tie(maj, min); }
  bool AtLeast(int maj, int min, int z) const {
    return std::tie(major, minor, patch) >= std::tie(maj, min, z);
  }
  bool SameMinor(const OcpVersion& o) const { return major == o.major && minor == o.minor; }
};

}  // namespace ipsecsim::sim
