#include "napt_table.h"

namespace ipsecsim::natt {

NaptTable::NaptTable(NaptTimeouts timeouts, uint16_t firstPort, uint16_t lastPort,
                     bool portPreservation)
    : timeouts_(timeouts),
      firstPort_(firstPort),
      lastPort_(lastPort),
      portPreservation_(portPreservation),
      nextPort_(firstPort) {}

NaptTable::FlowKey NaptTable::KeyOf(uint8_t protocol, const TransportEndpoint& inside,
                                    const TransportEndpoint& remote) {
  return {protocol, inside.address.Get(), inside.port, remote.address.Get(), remote.port};
}

ns3::Time NaptTable::IdleTimeout(uint8_t protocol) const {
  return protocol == 6 ? timeouts_.tcp : timeouts_.udp;
}

bool NaptTable::IsIdle(const NaptMapping& mapping, ns3::Time now) const {
  return now - mapping.lastRefresh >= IdleTimeout(mapping.protocol);
}

void NaptTable::Remove(std::map<PublicKey, NaptMapping>::iterator it, ns3::Time now) {
  byFlow_.erase(KeyOf(it->second.protocol, it->second.inside, it->second.remote));
  expired_[it->first] = now;
  ++expiredCount_;
  byPublicPort_.erase(it);
}

std::optional<uint16_t> NaptTable::AllocatePort(uint8_t protocol, uint16_t insidePort) {
  auto isFree = [&](uint16_t port) { return !byPublicPort_.count({protocol, port}); };
  if (portPreservation_ && insidePort != 0 && isFree(insidePort)) return insidePort;
  const uint32_t rangeSize = uint32_t(lastPort_) - firstPort_ + 1;
  for (uint32_t tried = 0; tried < rangeSize; ++tried) {
    const uint16_t port = nextPort_;
    nextPort_ = port == lastPort_ ? firstPort_ : uint16_t(port + 1);
    if (isFree(port)) return port;
  }
  return std::nullopt;
}

const NaptMapping* NaptTable::Outbound(uint8_t protocol, const TransportEndpoint& inside,
                                       const TransportEndpoint& remote, ns3::Mac48Address insideMac,
                                       ns3::Time now, bool* created) {
  *created = false;
  auto flow = byFlow_.find(KeyOf(protocol, inside, remote));
  if (flow != byFlow_.end()) {
    auto it = byPublicPort_.find({protocol, flow->second});
    if (!IsIdle(it->second, now)) {
      it->second.lastRefresh = now;
      it->second.insideMac = insideMac;
      return &it->second;
    }
    Remove(it, now);
  }
  const std::optional<uint16_t> port = AllocatePort(protocol, inside.port);
  if (!port) return nullptr;
  expired_.erase({protocol, *port});
  NaptMapping mapping{protocol, inside, remote, *port, insideMac, now, now};
  byFlow_[KeyOf(protocol, inside, remote)] = *port;
  *created = true;
  ++createdCount_;
  return &(byPublicPort_[{protocol, *port}] = mapping);
}

NaptTable::InboundResult NaptTable::Inbound(uint8_t protocol, uint16_t publicPort,
                                            const TransportEndpoint& remote, ns3::Time now,
                                            const NaptMapping** mapping) {
  *mapping = nullptr;
  auto it = byPublicPort_.find({protocol, publicPort});
  if (it != byPublicPort_.end() && IsIdle(it->second, now)) Remove(it, now);
  it = byPublicPort_.find({protocol, publicPort});
  if (it == byPublicPort_.end()) {
    return expired_.count({protocol, publicPort}) ? InboundResult::kExpiredMapping
                                                  : InboundResult::kNoMapping;
  }
  if (!(it->second.remote == remote)) return InboundResult::kWrongRemote;
  if (timeouts_.inboundRefresh) it->second.lastRefresh = now;
  *mapping = &it->second;
  return InboundResult::kTranslated;
}

std::vector<NaptMapping> NaptTable::ExpireIdle(ns3::Time now) {
  std::vector<NaptMapping> removed;
  for (auto it = byPublicPort_.begin(); it != byPublicPort_.end();) {
    auto next = std::next(it);
    if (IsIdle(it->second, now)) {
      removed.push_back(it->second);
      Remove(it, now);
    }
    it = next;
  }
  return removed;
}

std::optional<ns3::Time> NaptTable::NextExpiry() const {
  std::optional<ns3::Time> next;
  for (const auto& [key, mapping] : byPublicPort_) {
    const ns3::Time at = mapping.lastRefresh + IdleTimeout(mapping.protocol);
    if (!next || at < *next) next = at;
  }
  return next;
}

std::vector<NaptMapping> NaptTable::Mappings() const {
  std::vector<NaptMapping> all;
  for (const auto& [key, mapping] : byPublicPort_) all.push_back(mapping);
  return all;
}

}  // namespace ipsecsim::natt
