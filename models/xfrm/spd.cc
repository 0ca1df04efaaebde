#include "spd.h"

#include <algorithm>
#include <numeric>

namespace ipsecsim::xfrm {

PolicyId Spd::Add(const Policy& policy) {
  const PolicyId id = nextId_++;
  // Insert after every entry with a priority <= this one: equal priorities keep insertion order.
  auto pos = std::upper_bound(
      entries_.begin(), entries_.end(), policy.priority,
      [](uint32_t priority, const PolicyEntry& e) { return priority < e.policy.priority; });
  PolicyEntry entry{id, policy, PolicyEntry::Peer::kDestination, std::nullopt};
  if (!policy.tmpl.peer.IsInvalid()) {
    entry.ipv4Peer = DecodeIpv4(policy.tmpl.peer);
    entry.peer = entry.ipv4Peer ? PolicyEntry::Peer::kIpv4 : PolicyEntry::Peer::kOther;
  }
  entries_.insert(pos, std::move(entry));
  return id;
}

bool Spd::Remove(PolicyId id) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [id](const PolicyEntry& e) { return e.id == id; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

const PolicyEntry* Spd::Lookup(Direction direction, const FlowTuple& flow) const {
  for (const PolicyEntry& e : entries_) {
    if (e.policy.direction == direction && e.policy.selector.Matches(flow)) return &e;
  }
  return nullptr;
}

const PolicyEntry* Spd::Find(PolicyId id) const {
  for (const PolicyEntry& e : entries_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

namespace {
bool SameOutcome(const Policy& a, const Policy& b) {
  if (a.action != b.action) return false;
  return a.action != PolicyAction::kProtect || a.tmpl == b.tmpl;
}
}  // namespace

std::vector<PolicyConflict> FindPolicyConflicts(const std::vector<Policy>& policies) {
  std::vector<size_t> order(policies.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return policies[a].priority < policies[b].priority; });

  std::vector<PolicyConflict> found;
  for (size_t j = 0; j < order.size(); ++j) {
    const Policy& loser = policies[order[j]];
    for (size_t i = 0; i < j; ++i) {
      const Policy& winner = policies[order[i]];
      if (winner.direction != loser.direction) continue;
      const bool same = SameOutcome(winner, loser);
      if (winner.selector.Covers(loser.selector)) {
        found.push_back({same ? PolicyConflict::Kind::kShadowedSameAction
                              : PolicyConflict::Kind::kShadowedContradicts,
                         order[i], order[j]});
        break;  // fully shadowed: later winners no longer matter
      }
      if (!same && winner.selector.Overlaps(loser.selector)) {
        found.push_back({PolicyConflict::Kind::kPartialContradicts, order[i], order[j]});
      }
    }
  }
  return found;
}

std::string PolicyConflict::Describe(const std::vector<Policy>& policies) const {
  std::string what;
  switch (kind) {
    case Kind::kShadowedSameAction:
      what = "is shadowed (never matches, same action) by";
      break;
    case Kind::kShadowedContradicts:
      what = "is shadowed (never matches) by a contradictory policy";
      break;
    case Kind::kPartialContradicts:
      what = "partly overlaps an earlier contradictory policy";
      break;
  }
  return "policy #" + std::to_string(loser) + " [" + policies[loser].ToString() + "] " + what +
         " #" + std::to_string(winner) + " [" + policies[winner].ToString() + "]";
}

}  // namespace ipsecsim::xfrm
