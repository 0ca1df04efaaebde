// Every flow's payload is its 16-byte marker repeated, so the wire oracle can
// tell, from bytes alone, which flow a packet belongs to and whether it was
// readable in clear: "#IPSECSIM-F" + 4-digit flow index + "#".
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace ipsecsim::sim {

constexpr size_t kMarkerLen = 16;
constexpr char kMarkerPrefix[] = "#IPSECSIM-F";
constexpr size_t kMarkerPrefixLen = sizeof(kMarkerPrefix) - 1;
constexpr int kMaxFlows = 10000;

inline std::string FlowMarker(int flowIndex) {
  char buf[kMarkerLen + 1];
  std::snprintf(buf, sizeof buf, "%s%04d#", kMarkerPrefix, flowIndex);
  return std::string(buf, kMarkerLen);
}

// payload of `size` bytes: the marker repeated (and cut at the end).
inline std::vector<uint8_t> MarkedPayload(int flowIndex, size_t size) {
  const std::string m = FlowMarker(flowIndex);
  std::vector<uint8_t> out(size);
  for (size_t i = 0; i < size; ++i) out[i] = uint8_t(m[i % kMarkerLen]);
  return out;
}

// Numbered payloads: a sequence number in the 4 bytes after the first marker.
inline void WriteSequence(std::vector<uint8_t>& payload, uint32_t seq) {
  for (size_t i = 0; i < 4 && kMarkerLen + i < payload.size(); ++i)
    payload[kMarkerLen + i] = uint8_t(seq >> (24 - 8 * i));
}
inline uint32_t ReadSequence(const std::vector<uint8_t>& payload) {
  uint32_t seq = 0;
  for (size_t i = 0; i < 4; ++i)
    seq = seq << 8 | (kMarkerLen + i < payload.size() ? payload[kMarkerLen + i] : 0);
  return seq;
}

// Calls found(flowIndex) once for each distinct flow whose complete marker
// appears anywhere in data.
template <typename Found>
void FindFlowMarkers(const uint8_t* data, size_t len, Found found) {
  std::vector<int> seen;
  for (size_t i = 0; i + kMarkerLen <= len; ++i) {
    if (data[i] != '#' || std::memcmp(data + i, kMarkerPrefix, kMarkerPrefixLen) != 0) continue;
    const uint8_t* d = data + i + kMarkerPrefixLen;
    if (d[4] != '#') continue;
    int index = 0;
    bool digits = true;
    for (int k = 0; k < 4; ++k) {
      if (d[k] < '0' || d[k] > '9') digits = false;
      index = index * 10 + (d[k] - '0');
    }
    if (!digits) continue;
    bool already = false;
    for (int s : seen) already |= s == index;
    if (!already) {
      seen.push_back(index);
      found(index);
    }
    i += kMarkerLen - 1;
  }
}

}  // namespace ipsecsim::sim
