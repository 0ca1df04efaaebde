#include "ocp_version.h"

#include <cctype>

namespace ipsecsim::sim {

std::optional<OcpVersion> OcpVersion::Parse(const std::string& text) {
  const size_t dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= text.size() || dot > 3 ||
      text.size() - dot - 1 > 3)
    return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i)
    if (i != dot && !std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  return OcpVersion{std::stoi(text.substr(0, dot)), std::stoi(text.substr(dot + 1))};
}

}  // namespace ipsecsim::sim
