#include "sad.h"

#include <algorithm>
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
  std::string why;
  if (!esp::CheckKeymat(config.keymat, &why)) {
    *error = what + ": " + why;
    return nullptr;
  }
  auto state = std::make_unique<State>();
  state->config = config;
  state->ipv4Src = DecodeIpv4(config.src);
  state->ipv4Dst = DecodeIpv4(config.dst);
  state->addOrder = nextAddOrder_++;
  state->addTime = now;
  State* raw = state.get();
  if (raw->ipv4Dst) ipv4States_.emplace(Ipv4Key{config.spi, *raw->ipv4Dst, config.protocol}, raw);
  Index(raw);
  states_.emplace(key, std::move(state));
  return raw;
}

namespace {
esp::SaConfig EspConfig(const StateConfig& config) {
  esp::SaConfig sa;
  sa.spi = config.spi;
  sa.keymat = config.keymat;
  sa.esn = config.esn;
  sa.replayWindow = config.replayWindow;
  sa.ivSalt = config.ivSalt;
  return sa;
}
}  // namespace

// Add() checked the keymat, the only thing Create() can refuse.
esp::OutboundSa& State::Outbound() {
  if (!outbound) outbound = esp::OutboundSa::Create(EspConfig(config), nullptr);
  return *outbound;
}

esp::InboundSa& State::Inbound() {
  if (!inbound) inbound = esp::InboundSa::Create(EspConfig(config), nullptr);
  return *inbound;
}

namespace {
uint64_t PairKey(ns3::Ipv4Address src, ns3::Ipv4Address dst) {
  return uint64_t(src.Get()) << 32 | dst.Get();
}
}  // namespace

void Sad::Index(State* state) {
  ++spiUses_[state->config.spi];
  if (state->ipv4Src && state->ipv4Dst) {
    ipv4ByPair_[PairKey(*state->ipv4Src, *state->ipv4Dst)].push_back(state);
  } else {
    otherByPair_[{state->config.src, state->config.dst}].push_back(state);
  }
}

void Sad::Unindex(const State* state) {
  auto uses = spiUses_.find(state->config.spi);
  if (uses != spiUses_.end() && --uses->second == 0) spiUses_.erase(uses);
  auto drop = [state](auto& index, auto it) {
    if (it == index.end()) return;
    std::vector<State*>& states = it->second;
    states.erase(std::remove(states.begin(), states.end(), state), states.end());
    if (states.empty()) index.erase(it);
  };
  if (state->ipv4Src && state->ipv4Dst) {
    drop(ipv4ByPair_, ipv4ByPair_.find(PairKey(*state->ipv4Src, *state->ipv4Dst)));
  } else {
    drop(otherByPair_, otherByPair_.find({state->config.src, state->config.dst}));
  }
}

std::unique_ptr<State> Sad::Remove(const SadKey& key) {
  auto it = states_.find(key);
  if (it == states_.end()) return nullptr;
  std::unique_ptr<State> removed = std::move(it->second);
  states_.erase(it);
  if (removed->ipv4Dst) ipv4States_.erase(Ipv4Key{key.spi, *removed->ipv4Dst, key.protocol});
  Unindex(removed.get());
  return removed;
}

std::vector<std::unique_ptr<State>> Sad::Flush() {
  std::vector<std::unique_ptr<State>> removed;
  for (auto& [key, state] : states_) removed.push_back(std::move(state));
  states_.clear();
  ipv4States_.clear();
  ipv4ByPair_.clear();
  otherByPair_.clear();
  spiUses_.clear();
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
  if (state.OutboundExhausted()) return false;
  return !best || state.addOrder > best->addOrder;
}
}  // namespace

State* Sad::FindOutbound(const ns3::Address& src, const ns3::Address& dst,
                         const SaTemplate& tmpl) const {
  const std::optional<ns3::Ipv4Address> ipv4Src = DecodeIpv4(src);
  const std::optional<ns3::Ipv4Address> ipv4Dst = DecodeIpv4(dst);
  if (ipv4Src && ipv4Dst) return FindOutbound(*ipv4Src, *ipv4Dst, tmpl);
  auto it = otherByPair_.find({src, dst});
  if (it == otherByPair_.end()) return nullptr;
  State* best = nullptr;
  for (State* state : it->second)
    if (BetterOutbound(*state, tmpl, best)) best = state;
  return best;
}

State* Sad::FindOutbound(ns3::Ipv4Address src, ns3::Ipv4Address dst, const SaTemplate& tmpl) const {
  auto it = ipv4ByPair_.find(PairKey(src, dst));
  if (it == ipv4ByPair_.end()) return nullptr;
  State* best = nullptr;
  for (State* state : it->second)
    if (BetterOutbound(*state, tmpl, best)) best = state;
  return best;
}

std::vector<const State*> Sad::All() const {
  std::vector<const State*> out;
  for (const auto& [key, state] : states_) out.push_back(state.get());
  return out;
}

}  // namespace ipsecsim::xfrm
