// The security association database: what `ip xfrm state add` configures.
// States are keyed like Linux by (SPI, destination, protocol). A state is not
// given a direction: it protects packets when the node sends to its
// destination, and decrypts packets that arrive for its destination.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "bytes.h"
#include "esp_sa.h"
#include "ns3/address.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "policy.h"
#include "tunnel_headers.h"

namespace ipsecsim::xfrm {

// RFC 3948 UDP encapsulation of ESP (Libreswan's encapsulation=yes).
struct UdpEncap {
  uint16_t srcPort = 4500;
  uint16_t dstPort = 4500;
};

// Zero means "no limit", like an unset `limit` in `ip xfrm state`.
struct Lifetime {
  ns3::Time softTime;  // from the moment the state was added
  ns3::Time hardTime;
  uint64_t softBytes = 0;  // payload bytes protected or accepted
  uint64_t hardBytes = 0;
};

struct StateConfig {
  ns3::Address src;  // Ipv4Address for now
  ns3::Address dst;
  uint32_t spi = 0;
  uint8_t protocol = kProtoEsp;
  uint32_t reqid = 0;
  Bytes keymat;  // AES-GCM key || 4-byte salt: 20, 28 or 36 bytes
  bool esn = false;
  uint32_t replayWindow = 128;
  std::optional<UdpEncap> encap;
  Lifetime lifetime;
  uint64_t ivSalt = 0;  // seqiv's salt; XfrmStack draws it (esp::SaConfig::ivSalt)
  // Tunnel mode: src and dst are the outer header's addresses, and the
  // packets inside may be of either family.
  XfrmMode mode = XfrmMode::kTransport;
  TunnelFlags flags;
};

struct SadKey {
  uint32_t spi;
  ns3::Address dst;
  uint8_t protocol;
  bool operator<(const SadKey& o) const;
};

struct State {
  StateConfig config;
  // config.src and config.dst decoded when the state is added (unset when not
  // IPv4), so that the per-packet lookups need no ns3::Address.
  std::optional<ns3::Ipv4Address> ipv4Src;
  std::optional<ns3::Ipv4Address> ipv4Dst;
  // Made on first use: a state protects what the node sends to its
  // destination or opens what arrives for it, nearly always only one of the
  // two, and most states of a large mesh carry nothing at all.
  std::unique_ptr<esp::OutboundSa> outbound;
  std::unique_ptr<esp::InboundSa> inbound;
  esp::OutboundSa& Outbound();
  esp::InboundSa& Inbound();
  bool OutboundExhausted() const { return outbound && outbound->Exhausted(); }
  uint64_t NextOutboundSequence() const {
    return outbound ? outbound->NextSequence() : esp::OutboundSa::kFirstSequence;
  }
  uint64_t addOrder = 0;  // newer states win the outbound lookup, like Linux
  ns3::Time addTime;
  uint64_t bytes = 0;
  uint64_t packets = 0;
  bool softExpired = false;
  ns3::EventId softTimer;
  ns3::EventId hardTimer;
};

class Sad {
 public:
  // Returns nullptr and sets *error (a message naming the SPI) when the key
  // material is unusable or the key already exists.
  State* Add(const StateConfig& config, ns3::Time now, std::string* error);
  // The removed state, so that the caller can cancel its timers.
  std::unique_ptr<State> Remove(const SadKey& key);
  std::vector<std::unique_ptr<State>> Flush();

  State* FindInbound(uint32_t spi, const ns3::Address& dst, uint8_t protocol) const;
  State* FindInbound(uint32_t spi, ns3::Ipv4Address dst, uint8_t protocol) const;
  // The newest state from src to dst for the template's protocol and reqid.
  State* FindOutbound(const ns3::Address& src, const ns3::Address& dst,
                      const SaTemplate& tmpl) const;
  State* FindOutbound(ns3::Ipv4Address src, ns3::Ipv4Address dst, const SaTemplate& tmpl) const;
  std::vector<const State*> All() const;
  // Whether any state has this SPI, whatever its destination.
  bool UsesSpi(uint32_t spi) const { return spiUses_.count(spi) != 0; }
  size_t Size() const { return states_.size(); }

 private:
  // The IPv4 states again, keyed without ns3::Address (Ipv4Address compares
  // inline): in Debian's ns-3 build every ns3::Address comparison or
  // conversion is a library call with a logging check, which made these
  // lookups a visible share of the ESP path.
  struct Ipv4Key {
    uint32_t spi;
    ns3::Ipv4Address dst;
    uint8_t protocol;
    bool operator<(const Ipv4Key& o) const;
  };

  void Index(State* state);
  void Unindex(const State* state);

  std::map<SadKey, std::unique_ptr<State>> states_;  // owns every state
  std::map<Ipv4Key, State*> ipv4States_;
  // The states by (source, destination), so that an outbound lookup reads
  // the few states between two hosts instead of the whole database.
  std::unordered_map<uint64_t, std::vector<State*>> ipv4ByPair_;
  std::map<std::pair<ns3::Address, ns3::Address>, std::vector<State*>> otherByPair_;
  std::unordered_map<uint32_t, uint32_t> spiUses_;  // states per SPI
  uint64_t nextAddOrder_ = 1;
};

std::string SpiText(uint32_t spi);  // "0x0000abcd"

}  // namespace ipsecsim::xfrm
