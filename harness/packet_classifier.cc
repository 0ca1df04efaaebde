#include "packet_classifier.h"

#include <algorithm>

#include "flow_marker.h"

namespace ipsecsim::harness {

namespace {
constexpr uint8_t kUdp = 17, kEsp = 50;
constexpr uint16_t kIkePort = 500, kNattPort = 4500, kGenevePort = 6081;

uint16_t U16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }

void Markers(const uint8_t* data, size_t len, std::vector<int>* into) {
  sim::FindFlowMarkers(data, len, [&](int flow) { into->push_back(flow); });
}
}  // namespace

void PacketClassifier::AddKey(uint32_t spi, const Bytes& keymat) {
  auto key = esp::GcmKey::FromKeymat(keymat, nullptr);
  if (key) keys_[spi] = std::move(key);
}

const ClassifierCounters& PacketClassifier::Counters() const {
  counters_.fragmentsHeld = 0;
  for (auto& [k, r] : reassembly_) counters_.fragmentsHeld += r.fragments;
  return counters_;
}

bool PacketClassifier::Classify(const uint8_t* data, size_t len, Classified* out,
                                uint32_t channel) {
  if (len < 20 || data[0] >> 4 != 4) {
    ++counters_.malformed;
    return false;
  }
  const size_t ihl = size_t(data[0] & 0xF) * 4;
  const size_t total = U16(data + 2);
  if (ihl < 20 || total < ihl || total > len) {
    ++counters_.malformed;
    return false;
  }
  const uint8_t proto = data[9];
  const uint16_t flags = U16(data + 6);
  const bool moreFragments = flags & 0x2000;
  const uint32_t offset = uint32_t(flags & 0x1FFF) * 8;
  const uint8_t* l4 = data + ihl;
  const size_t l4len = total - ihl;
  *out = Classified{};
  if (!moreFragments && offset == 0) {
    out->wireBytes = total;
    out->largestPacket = uint32_t(total);
    return ClassifyDatagram(proto, l4, l4len, out);
  }

  const FragmentKey key{
      channel, uint32_t(data[12]) << 24 | data[13] << 16 | data[14] << 8 | data[15],
      uint32_t(data[16]) << 24 | data[17] << 16 | data[18] << 8 | data[19], U16(data + 4), proto};
  Reassembly& r = reassembly_[key];
  r.pieces[offset] = Bytes(l4, l4 + l4len);
  ++r.fragments;
  r.wireBytes += total;
  r.largestPacket = std::max(r.largestPacket, uint32_t(total));
  if (!moreFragments) r.total = offset + uint32_t(l4len);
  if (r.total == 0) return false;
  Bytes whole;
  for (auto& [at, piece] : r.pieces) {
    if (at != whole.size()) return false;  // a hole: wait for more
    whole.insert(whole.end(), piece.begin(), piece.end());
  }
  if (whole.size() != r.total) return false;
  const Reassembly done = std::move(r);
  reassembly_.erase(key);
  const bool ok = ClassifyDatagram(proto, whole.data(), whole.size(), out);
  out->packets = done.fragments;
  out->wireBytes = done.wireBytes;
  out->largestPacket = done.largestPacket;
  return ok;
}

bool PacketClassifier::ClassifyDatagram(uint8_t proto, const uint8_t* l4, size_t len,
                                        Classified* out) {
  if (proto == kEsp) {
    out->cls = "esp";
    DecryptInto(l4, len, out);
    return true;
  }
  if (proto == kUdp && len >= 8) {
    const uint16_t sport = U16(l4), dport = U16(l4 + 2);
    const uint8_t* payload = l4 + 8;
    const size_t plen = len - 8;
    if (sport == kNattPort || dport == kNattPort) {
      if (plen == 1 && payload[0] == 0xFF) {
        out->cls = "natt-keepalive";
      } else if (plen >= 4 && U16(payload) == 0 && U16(payload + 2) == 0) {
        out->cls = "ike";
      } else {
        out->cls = "esp-in-udp";
        DecryptInto(payload, plen, out);
      }
      return true;
    }
    if (sport == kIkePort || dport == kIkePort) {
      out->cls = "ike";
      return true;
    }
    if (dport == kGenevePort) {
      out->cls = "geneve";
      Markers(payload, plen, &out->clearFlows);
      return true;
    }
  }
  out->cls = "clear";
  Markers(l4, len, &out->clearFlows);
  return true;
}

void PacketClassifier::DecryptInto(const uint8_t* espPacket, size_t len, Classified* out) {
  esp::EspHeaderView hdr;
  auto key = esp::PeekHeader(espPacket, len, &hdr) ? keys_.find(hdr.spi) : keys_.end();
  if (key == keys_.end()) {
    out->undecryptable = true;
    ++counters_.undecryptable;
    return;
  }
  Bytes inner;
  uint8_t nextHeader = 0;
  if (key->second->Open(espPacket, len, false, 0, &inner, &nextHeader) !=
      esp::GcmKey::OpenResult::kOk) {
    out->undecryptable = true;
    ++counters_.undecryptable;
    return;
  }
  Markers(inner.data(), inner.size(), &out->protectedFlows);
}

}  // namespace ipsecsim::harness
