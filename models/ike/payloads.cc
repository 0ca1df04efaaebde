#include "payloads.h"

namespace ipsecsim::ike {

Payload MakeNotify(NotifyType type, Bytes data, ProtocolId protocol, Bytes spi) {
  NotifyPayload n;
  n.type = uint16_t(type);
  n.data = std::move(data);
  n.protocol = protocol;
  n.spi = std::move(spi);
  return Payload{PayloadType::kNotify, false, n};
}

Payload MakeFqdnId(PayloadType idiOrIdr, const std::string& systemId) {
  std::string name = systemId;
  if (!name.empty() && name.front() == '@') name.erase(0, 1);
  return Payload{idiOrIdr, false, IdPayload{IdType::kFqdn, Bytes(name.begin(), name.end())}};
}

std::string IdDataString(const IdPayload& id) {
  return std::string(id.data.begin(), id.data.end());
}

const Payload* FindPayload(const std::vector<Payload>& payloads, PayloadType type) {
  for (const auto& p : payloads)
    if (p.type == type) return &p;
  return nullptr;
}

const NotifyPayload* FindNotify(const std::vector<Payload>& payloads, NotifyType type) {
  for (const auto& p : payloads)
    if (auto* n = std::get_if<NotifyPayload>(&p.body); n && n->type == uint16_t(type)) return n;
  return nullptr;
}

}  // namespace ipsecsim::ike
