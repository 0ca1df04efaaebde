// The mapping table of a source NAT with port translation (NAPT), without any
// ns-3 plumbing: who inside talks to whom outside through which public port,
// and when each mapping expires.
//
// Behaviour (RFC 4787 terms): address-and-port-dependent mapping and
// filtering, i.e. one mapping per (protocol, inside endpoint, remote
// endpoint), and inbound packets are accepted only from that remote endpoint.
// The public port keeps the inside port when it is free (as Linux
// masquerading does), else it is the next free port of the range.
// A mapping expires after its protocol's idle timeout without outbound
// packets; inbound packets refresh it only when `inboundRefresh` is set.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"

namespace ipsecsim::natt {

struct TransportEndpoint {
  ns3::Ipv4Address address;
  uint16_t port = 0;
  bool operator==(const TransportEndpoint& o) const {
    return address == o.address && port == o.port;
  }
};

struct NaptMapping {
  uint8_t protocol = 0;
  TransportEndpoint inside;
  TransportEndpoint remote;
  uint16_t publicPort = 0;
  ns3::Mac48Address insideMac;
  ns3::Time created;
  ns3::Time lastRefresh;
};

struct NaptTimeouts {
  ns3::Time udp;
  ns3::Time tcp;
  bool inboundRefresh = false;
};

class NaptTable {
 public:
  NaptTable(NaptTimeouts timeouts, uint16_t firstPort, uint16_t lastPort, bool portPreservation);

  // The mapping for an outbound UDP/TCP packet, created if needed and
  // refreshed; null when every public port is taken. `created` tells which.
  const NaptMapping* Outbound(uint8_t protocol, const TransportEndpoint& inside,
                              const TransportEndpoint& remote, ns3::Mac48Address insideMac,
                              ns3::Time now, bool* created);

  enum class InboundResult {
    kTranslated,
    kNoMapping,       // no mapping ever used this public port, or it was reused
    kExpiredMapping,  // the mapping of this public port has expired
    kWrongRemote,     // a live mapping, but for another remote endpoint
  };
  InboundResult Inbound(uint8_t protocol, uint16_t publicPort, const TransportEndpoint& remote,
                        ns3::Time now, const NaptMapping** mapping);

  // Removes and returns every mapping idle for its timeout or longer.
  std::vector<NaptMapping> ExpireIdle(ns3::Time now);
  // When the next mapping expires if nothing refreshes it.
  std::optional<ns3::Time> NextExpiry() const;

  ns3::Time IdleTimeout(uint8_t protocol) const;
  std::vector<NaptMapping> Mappings() const;
  size_t Size() const { return byPublicPort_.size(); }
  uint64_t CreatedCount() const { return createdCount_; }
  uint64_t ExpiredCount() const { return expiredCount_; }

 private:
  using PublicKey = std::pair<uint8_t, uint16_t>;  // protocol, public port
  using FlowKey = std::tuple<uint8_t, uint32_t, uint16_t, uint32_t, uint16_t>;
  static FlowKey KeyOf(uint8_t protocol, const TransportEndpoint& inside,
                       const TransportEndpoint& remote);

  bool IsIdle(const NaptMapping& mapping, ns3::Time now) const;
  void Remove(std::map<PublicKey, NaptMapping>::iterator it, ns3::Time now);
  std::optional<uint16_t> AllocatePort(uint8_t protocol, uint16_t insidePort);

  NaptTimeouts timeouts_;
  uint16_t firstPort_;
  uint16_t lastPort_;
  bool portPreservation_;
  uint16_t nextPort_;
  std::map<PublicKey, NaptMapping> byPublicPort_;
  std::map<FlowKey, uint16_t> byFlow_;
  uint64_t createdCount_ = 0;
  uint64_t expiredCount_ = 0;
  std::map<PublicKey, ns3::Time> expired_;  // public ports whose mapping expired, until reused
};

}  // namespace ipsecsim::natt
