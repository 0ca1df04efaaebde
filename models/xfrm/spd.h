// The security policy database: ordered policies per direction, the lookup
// the data path does per packet, and the static check for shadowed policies.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "policy.h"

namespace ipsecsim::xfrm {

using PolicyId = uint32_t;

struct PolicyEntry {
  PolicyId id;
  Policy policy;
  // policy.tmpl.peer decoded when the policy is added, so that the data path
  // does not convert ns3::Address per packet.
  enum class Peer : uint8_t {
    kDestination,  // no peer: the packet's destination
    kIpv4,         // ipv4Peer
    kOther,        // another kind of address: use policy.tmpl.peer
  };
  Peer peer = Peer::kDestination;
  std::optional<ns3::Ipv4Address> ipv4Peer;
};

// Policies are evaluated in (priority, insertion) order and the first match
// wins. As in Linux (net/xfrm/xfrm_policy.c: xfrm_policy_init hashes
// policies whose selectors have full-length prefixes, dbits4 = sbits4 = 32,
// in policy_bydst; the others stay inexact), host-to-host IPv4 policies are
// found by their two addresses, so that a lookup reads the policies between
// two hosts and the inexact ones, not the whole database.
class Spd {
 public:
  // Adds a policy and returns its id (never 0).
  PolicyId Add(const Policy& policy);
  bool Remove(PolicyId id);
  void Flush();

  // The winning policy for a packet, or nullptr when none matches.
  const PolicyEntry* Lookup(Direction direction, const FlowTuple& flow) const;
  const PolicyEntry* Find(PolicyId id) const;
  // In evaluation order: priority, then insertion.
  std::vector<const PolicyEntry*> Entries() const;
  size_t Size() const { return entries_.size(); }

 private:
  using Order = std::pair<uint32_t, PolicyId>;  // priority, then insertion
  // Entries by order, pointing into entries_ (a map: its nodes never move).
  using Chain = std::map<Order, const PolicyEntry*>;
  // The two addresses of a host-to-host IPv4 selector, or nullopt.
  static std::optional<uint64_t> HostPair(const Selector& selector);
  const PolicyEntry* FirstMatch(const Chain& chain, const FlowTuple& flow,
                                const Order* before) const;
  Chain& ChainOf(const PolicyEntry& entry);

  std::map<Order, PolicyEntry> entries_;
  std::unordered_map<PolicyId, Order> orderOf_;
  std::unordered_map<uint64_t, Chain> exact_[2];  // by Direction, then HostPair
  Chain inexact_[2];                              // by Direction
  PolicyId nextId_ = 1;
};

// One finding of FindPolicyConflicts. `winner` is evaluated before `loser`.
struct PolicyConflict {
  enum class Kind {
    kShadowedSameAction,   // loser can never match; it would do the same anyway
    kShadowedContradicts,  // loser can never match, and says something else
    kPartialContradicts,   // some packets of loser go to winner, which says something else
  };
  Kind kind;
  size_t winner;  // indices into the vector that was checked
  size_t loser;
  std::string Describe(const std::vector<Policy>& policies) const;
};

// Reports which policies shadow which, evaluating them as an Spd would
// (lower priority value first, then the order given). Two protect policies
// with different templates count as contradictory.
std::vector<PolicyConflict> FindPolicyConflicts(const std::vector<Policy>& policies);

}  // namespace ipsecsim::xfrm
