#include "ocp_version.h"

#include <cctype>
#include <vector>

namespace ipsecsim::sim {

std::optional<OcpVersion> OcpVersion::Parse(const std::string& text) {
  std::vector<int> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t dot = text.find('.', start);
    const size_t end = dot == std::string::npos ? text.size() : dot;
    if (end == start || end - start > 3) return std::nullopt;
    // Release versions are semantic versions, whose numbers have no leading
    // zeros (semver 2.0.0, item 2): "4.015" is not 4.15.
    if (end - start > 1 && text[start] == '0') return std::nullopt;
    for (size_t i = start; i < end; ++i)
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    parts.push_back(std::stoi(text.substr(start, end - start)));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  OcpVersion v{parts[0], parts[1], 0, parts.size() == 3};
  if (v.patchGiven) v.patch = parts[2];
  return v;
}

std::string OcpVersion::ToString() const {
  return patchGiven ? ZStream() : std::to_string(major) + "." + std::to_string(minor);
}

std::string OcpVersion::ZStream() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

}  // namespace ipsecsim::sim
