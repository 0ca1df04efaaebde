// The security policy database: ordered policies per direction, the lookup
// the data path does per packet, and the static check for shadowed policies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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

class Spd {
 public:
  // Adds a policy and returns its id (never 0).
  PolicyId Add(const Policy& policy);
  bool Remove(PolicyId id);
  void Flush() { entries_.clear(); }

  // The winning policy for a packet, or nullptr when none matches.
  const PolicyEntry* Lookup(Direction direction, const FlowTuple& flow) const;
  const PolicyEntry* Find(PolicyId id) const;
  // In evaluation order: priority, then insertion.
  const std::vector<PolicyEntry>& Entries() const { return entries_; }
  size_t Size() const { return entries_.size(); }

 private:
  std::vector<PolicyEntry> entries_;
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
