#include "packet_classifier.h"

#include <algorithm>
#include <tuple>

#include "bytes.h"
#include "flow_marker.h"
#include "protocol_ports.h"

namespace ipsecsim::harness {

namespace {
constexpr uint8_t kUdp = 17, kEsp = 50;
constexpr uint8_t kHopByHop = 0, kRouting = 43, kFragment = 44, kDestinationOptions = 60;
constexpr uint16_t kIkePort = ports::kIke, kNattPort = ports::kNatt, kGenevePort = ports::kGeneve;
constexpr size_t kIpv6Header = 40, kFragmentHeader = 8, kExtensionUnit = 8;

uint32_t U32(const uint8_t* p) { return uint32_t(GetU16(p)) << 16 | GetU16(p + 2); }

std::array<uint8_t, 16> Ipv4Mapped(const uint8_t* ipv4) {
  std::array<uint8_t, 16> a{};
  a[10] = a[11] = 0xFF;
  std::copy(ipv4, ipv4 + 4, a.begin() + 12);
  return a;
}

std::array<uint8_t, 16> Ipv6Address(const uint8_t* ipv6) {
  std::array<uint8_t, 16> a;
  std::copy(ipv6, ipv6 + 16, a.begin());
  return a;
}

// Steps over Hop-by-Hop, Routing and Destination Options headers in
// data[*pos, end), each (length field + 1) * 8 bytes long, and stops at a
// Fragment header or the upper-layer protocol. False when one is cut short.
bool SkipExtensionHeaders(const uint8_t* data, size_t end, size_t* pos, uint8_t* next) {
  while (*next == kHopByHop || *next == kRouting || *next == kDestinationOptions) {
    if (end - *pos < kExtensionUnit) return false;
    const size_t length = (size_t(data[*pos + 1]) + 1) * kExtensionUnit;
    if (end - *pos < length) return false;
    *next = data[*pos];
    *pos += length;
  }
  return true;
}

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

bool PacketClassifier::FragmentKey::operator<(const FragmentKey& o) const {
  return std::tie(channel, version, src, dst, id, proto) <
         std::tie(o.channel, o.version, o.src, o.dst, o.id, o.proto);
}

bool PacketClassifier::ParseIpv4(const uint8_t* data, size_t len, uint32_t channel, Piece* piece) {
  if (len < 20) return false;
  const size_t ihl = size_t(data[0] & 0xF) * 4;
  const size_t total = GetU16(data + 2);
  if (ihl < 20 || total < ihl || total > len) return false;
  const uint16_t flags = GetU16(data + 6);
  piece->key = {channel,          4,      Ipv4Mapped(data + 12), Ipv4Mapped(data + 16),
                GetU16(data + 4), data[9]};
  piece->proto = data[9];
  piece->payload = data + ihl;
  piece->payloadLen = total - ihl;
  piece->offset = uint32_t(flags & 0x1FFF) * 8;
  piece->more = flags & 0x2000;
  piece->wireLength = uint32_t(total);
  return true;
}

bool PacketClassifier::ParseIpv6(const uint8_t* data, size_t len, uint32_t channel, Piece* piece) {
  if (len < kIpv6Header) return false;
  const size_t end = kIpv6Header + GetU16(data + 4);
  if (end > len) return false;
  size_t pos = kIpv6Header;
  uint8_t next = data[6];
  if (!SkipExtensionHeaders(data, end, &pos, &next)) return false;
  piece->key = {channel, 6, Ipv6Address(data + 8), Ipv6Address(data + 24)};
  piece->wireLength = uint32_t(end);
  piece->offset = 0;
  piece->more = false;
  if (next == kFragment) {
    if (end - pos < kFragmentHeader) return false;
    const uint16_t offsetAndFlags = GetU16(data + pos + 2);
    next = data[pos];
    piece->offset = offsetAndFlags & 0xFFF8;  // 13 bits in 8-byte units, then 2 reserved and M
    piece->more = offsetAndFlags & 1;
    piece->key.id = U32(data + pos + 4);
    pos += kFragmentHeader;
  }
  piece->proto = next;
  piece->payload = data + pos;
  piece->payloadLen = end - pos;
  return true;
}

bool PacketClassifier::Classify(const uint8_t* data, size_t len, Classified* out,
                                uint32_t channel) {
  Piece piece;
  const int version = len > 0 ? data[0] >> 4 : 0;
  const bool parsed = (version == 4 && ParseIpv4(data, len, channel, &piece)) ||
                      (version == 6 && ParseIpv6(data, len, channel, &piece));
  if (!parsed) {
    ++counters_.malformed;
    return false;
  }
  *out = Classified{};
  if (!piece.more && piece.offset == 0) {
    out->wireBytes = piece.wireLength;
    out->largestPacket = piece.wireLength;
    return ClassifyPayload(piece.key.version, piece.proto, piece.payload, piece.payloadLen, out);
  }
  return Reassemble(piece, out);
}

bool PacketClassifier::Reassemble(const Piece& piece, Classified* out) {
  Reassembly& r = reassembly_[piece.key];
  r.pieces[piece.offset] = Bytes(piece.payload, piece.payload + piece.payloadLen);
  ++r.fragments;
  r.wireBytes += piece.wireLength;
  r.largestPacket = std::max(r.largestPacket, piece.wireLength);
  if (piece.offset == 0) r.proto = piece.proto;
  if (!piece.more) r.total = piece.offset + uint32_t(piece.payloadLen);
  if (r.total == 0) return false;
  Bytes whole;
  for (auto& [at, bytes] : r.pieces) {
    if (at != whole.size()) return false;  // a hole: wait for more
    whole.insert(whole.end(), bytes.begin(), bytes.end());
  }
  if (whole.size() != r.total) return false;
  const Reassembly done = std::move(r);
  reassembly_.erase(piece.key);
  const bool ok = ClassifyPayload(piece.key.version, done.proto, whole.data(), whole.size(), out);
  out->packets = done.fragments;
  out->wireBytes = done.wireBytes;
  out->largestPacket = done.largestPacket;
  return ok;
}

// An IPv6 datagram's fragmentable part may still open with extension headers.
bool PacketClassifier::ClassifyPayload(uint8_t version, uint8_t proto, const uint8_t* data,
                                       size_t len, Classified* out) {
  size_t pos = 0;
  if (version == 6 && (!SkipExtensionHeaders(data, len, &pos, &proto) || proto == kFragment)) {
    ++counters_.malformed;
    return false;
  }
  return ClassifyDatagram(proto, data + pos, len - pos, out);
}

bool PacketClassifier::ClassifyDatagram(uint8_t proto, const uint8_t* l4, size_t len,
                                        Classified* out) {
  if (proto == kEsp) {
    out->cls = ToString(PacketClass::kEsp);
    DecryptInto(l4, len, out);
    return true;
  }
  if (proto == kUdp && len >= 8) {
    const uint16_t sport = GetU16(l4), dport = GetU16(l4 + 2);
    const uint8_t* payload = l4 + 8;
    const size_t plen = len - 8;
    if (sport == kNattPort || dport == kNattPort) {
      if (plen == 1 && payload[0] == 0xFF) {
        out->cls = ToString(PacketClass::kNattKeepalive);
      } else if (plen >= 4 && GetU16(payload) == 0 && GetU16(payload + 2) == 0) {
        out->cls = ToString(PacketClass::kIke);
      } else {
        out->cls = ToString(PacketClass::kEspInUdp);
        DecryptInto(payload, plen, out);
      }
      return true;
    }
    if (sport == kIkePort || dport == kIkePort) {
      out->cls = ToString(PacketClass::kIke);
      return true;
    }
    if (dport == kGenevePort) {
      out->cls = ToString(PacketClass::kGeneve);
      Markers(payload, plen, &out->clearFlows);
      return true;
    }
  }
  out->cls = ToString(PacketClass::kClear);
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
