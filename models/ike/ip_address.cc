#include "ip_address.h"

#include <cstdio>
#include <cstring>

#include "bytes.h"

namespace ipsecsim::ike {

IpAddress IpAddress::V4(uint32_t hostOrder) {
  IpAddress a;
  PutU32(a.bytes_.data(), hostOrder);
  return a;
}

IpAddress IpAddress::V6(const std::array<uint8_t, 16>& bytes) {
  IpAddress a;
  a.family_ = Family::kIpv6;
  a.bytes_ = bytes;
  return a;
}

std::optional<IpAddress> IpAddress::FromBytes(const uint8_t* data, size_t length) {
  if (length == 4) return V4(GetU32(data));
  if (length != 16) return std::nullopt;
  std::array<uint8_t, 16> bytes;
  std::memcpy(bytes.data(), data, 16);
  return V6(bytes);
}

uint32_t IpAddress::V4Value() const { return GetU32(bytes_.data()); }

bool IpAddress::IsUnspecified() const { return bytes_ == std::array<uint8_t, 16>{}; }

namespace {

std::string Ipv6Text(const uint8_t* b) {
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = uint16_t(b[2 * i] << 8 | b[2 * i + 1]);
  // The longest run of two or more zero groups (the first of equal runs) becomes "::".
  int bestStart = -1, bestLength = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string text;
  char group[8];
  for (int i = 0; i < 8; ++i) {
    if (i == bestStart) {
      text += "::";
      i += bestLength - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text += ':';
    std::snprintf(group, sizeof group, "%x", groups[i]);
    text += group;
  }
  return text;
}

}  // namespace

std::string IpAddress::ToString() const {
  if (IsV6()) return Ipv6Text(bytes_.data());
  char text[16];
  std::snprintf(text, sizeof text, "%u.%u.%u.%u", bytes_[0], bytes_[1], bytes_[2], bytes_[3]);
  return text;
}

}  // namespace ipsecsim::ike
