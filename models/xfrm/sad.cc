#include "sad.h"

#include <cstdio>
#include <tuple>

namespace ipsecsim::xfrm {

bool SadKey::operator<(const SadKey& o) const {
  return std::tie(spi, protocol, dst) < std::tie(o.spi, o.protocol, o.dst);
}

std::string SpiText(uint32_t spi) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", spi);
  return text;
}

State* Sad::Add(const StateConfig& config, ns3::Time now, std::string* error) {
  const std::string what = "xfrm state spi " + SpiText(config.spi);
  if (config.protocol != kProtoEsp) {
    *error = what + ": only ESP (protocol 50) is modelled";
    return nullptr;
  }
  if (config.spi < 256) {
    *error = what + ": SPI values 0-255 are reserved (RFC 4303)";
    return nullptr;
  }
  const SadKey key{config.spi, config.dst, config.protocol};
  if (states_.count(key)) {
    *error = what + ": a state with this SPI and destination already exists";
    return nullptr;
  }
  esp::SaConfig sa;
  sa.spi = config.spi;
  sa.keymat = config.keymat;
  sa.esn = config.esn;
  sa.replayWindow = config.replayWindow;
  std::string why;
  auto state = std::make_unique<State>();
  state->outbound = esp::OutboundSa::Create(sa, &why);
  if (state->outbound) state->inbound = esp::InboundSa::Create(sa, &why);
  if (!state->outbound || !state->inbound) {
    *error = what + ": " + why;
    return nullptr;
  }
  state->config = config;
  state->addOrder = nextAddOrder_++;
  state->addTime = now;
  State* raw = state.get();
  states_.emplace(key, std::move(state));
  return raw;
}

std::unique_ptr<State> Sad::Remove(const SadKey& key) {
  auto it = states_.find(key);
  if (it == states_.end()) return nullptr;
  std::unique_ptr<State> removed = std::move(it->second);
  states_.erase(it);
  return removed;
}

std::vector<std::unique_ptr<State>> Sad::Flush() {
  std::vector<std::unique_ptr<State>> removed;
  for (auto& [key, state] : states_) removed.push_back(std::move(state));
  states_.clear();
  return removed;
}

State* Sad::FindInbound(uint32_t spi, const ns3::Address& dst, uint8_t protocol) const {
  auto it = states_.find(SadKey{spi, dst, protocol});
  return it == states_.end() ? nullptr : it->second.get();
}

State* Sad::FindOutbound(const ns3::Address& src, const ns3::Address& dst,
                         const SaTemplate& tmpl) const {
  State* best = nullptr;
  for (const auto& [key, state] : states_) {
    const StateConfig& c = state->config;
    if (c.protocol != tmpl.protocol || c.dst != dst || c.src != src) continue;
    if (tmpl.reqid != 0 && c.reqid != tmpl.reqid) continue;
    if (state->outbound->Exhausted()) continue;
    if (!best || state->addOrder > best->addOrder) best = state.get();
  }
  return best;
}

std::vector<const State*> Sad::All() const {
  std::vector<const State*> out;
  for (const auto& [key, state] : states_) out.push_back(state.get());
  return out;
}

}  // namespace ipsecsim::xfrm
