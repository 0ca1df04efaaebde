#include "sad.h"

#include <cstdio>
#include <tuple>

namespace ipsecsim::xfrm {

bool SadKey::operator<(const SadKey& o) const {
  return std::tie(spi, protocol, dst) < std::tie(o.spi, o.protocol, o.dst);
}

bool Sad::Ipv4Key::operator<(const Ipv4Key& o) const {
  if (spi != o.spi) return spi < o.spi;
  if (protocol != o.protocol) return protocol < o.protocol;
  return dst < o.dst;
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
  if (config.mode == XfrmMode::kTunnel && ns3::Ipv4Address::IsMatchingType(config.src) !=
                                              ns3::Ipv4Address::IsMatchingType(config.dst)) {
    *error = what + ": a tunnel's two ends must be of one address family";
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
  sa.ivSalt = config.ivSalt;
  std::string why;
  auto state = std::make_unique<State>();
  state->outbound = esp::OutboundSa::Create(sa, &why);
  if (state->outbound) state->inbound = esp::InboundSa::Create(sa, &why);
  if (!state->outbound || !state->inbound) {
    *error = what + ": " + why;
    return nullptr;
  }
  state->config = config;
  state->ipv4Src = DecodeIpv4(config.src);
  state->ipv4Dst = DecodeIpv4(config.dst);
  state->addOrder = nextAddOrder_++;
  state->addTime = now;
  State* raw = state.get();
  if (raw->ipv4Dst) ipv4States_.emplace(Ipv4Key{config.spi, *raw->ipv4Dst, config.protocol}, raw);
  states_.emplace(key, std::move(state));
  return raw;
}

std::unique_ptr<State> Sad::Remove(const SadKey& key) {
  auto it = states_.find(key);
  if (it == states_.end()) return nullptr;
  std::unique_ptr<State> removed = std::move(it->second);
  states_.erase(it);
  if (removed->ipv4Dst) ipv4States_.erase(Ipv4Key{key.spi, *removed->ipv4Dst, key.protocol});
  return removed;
}

std::vector<std::unique_ptr<State>> Sad::Flush() {
  std::vector<std::unique_ptr<State>> removed;
  for (auto& [key, state] : states_) removed.push_back(std::move(state));
  states_.clear();
  ipv4States_.clear();
  return removed;
}

State* Sad::FindInbound(uint32_t spi, const ns3::Address& dst, uint8_t protocol) const {
  if (const std::optional<ns3::Ipv4Address> ipv4 = DecodeIpv4(dst)) {
    return FindInbound(spi, *ipv4, protocol);
  }
  auto it = states_.find(SadKey{spi, dst, protocol});
  return it == states_.end() ? nullptr : it->second.get();
}

State* Sad::FindInbound(uint32_t spi, ns3::Ipv4Address dst, uint8_t protocol) const {
  auto it = ipv4States_.find(Ipv4Key{spi, dst, protocol});
  return it == ipv4States_.end() ? nullptr : it->second;
}

namespace {
// Whether state may protect a packet for tmpl, and is newer than best.
bool BetterOutbound(const State& state, const SaTemplate& tmpl, const State* best) {
  const StateConfig& c = state.config;
  if (c.protocol != tmpl.protocol) return false;
  if (tmpl.reqid != 0 && c.reqid != tmpl.reqid) return false;
  if (c.mode != tmpl.mode) return false;  // xfrm_state_find matches the template's mode
  if (state.outbound->Exhausted()) return false;
  return !best || state.addOrder > best->addOrder;
}
}  // namespace

State* Sad::FindOutbound(const ns3::Address& src, const ns3::Address& dst,
                         const SaTemplate& tmpl) const {
  const std::optional<ns3::Ipv4Address> ipv4Src = DecodeIpv4(src);
  const std::optional<ns3::Ipv4Address> ipv4Dst = DecodeIpv4(dst);
  if (ipv4Src && ipv4Dst) return FindOutbound(*ipv4Src, *ipv4Dst, tmpl);
  State* best = nullptr;
  for (const auto& [key, state] : states_) {
    if (state->config.dst != dst || state->config.src != src) continue;
    if (BetterOutbound(*state, tmpl, best)) best = state.get();
  }
  return best;
}

State* Sad::FindOutbound(ns3::Ipv4Address src, ns3::Ipv4Address dst, const SaTemplate& tmpl) const {
  State* best = nullptr;
  for (const auto& [key, state] : ipv4States_) {
    if (key.dst != dst || state->ipv4Src != src) continue;
    if (BetterOutbound(*state, tmpl, best)) best = state;
  }
  return best;
}

std::vector<const State*> Sad::All() const {
  std::vector<const State*> out;
  for (const auto& [key, state] : states_) out.push_back(state.get());
  return out;
}

}  // namespace ipsecsim::xfrm
