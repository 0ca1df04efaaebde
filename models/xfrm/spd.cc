#include "spd.h"

#include <algorithm>
#include <numeric>

namespace ipsecsim::xfrm {

std::optional<uint64_t> Spd::HostPair(const Selector& selector) {
  if (selector.src.IsIpv6() || selector.dst.IsIpv6()) return std::nullopt;
  if (selector.src.Length() != 32 || selector.dst.Length() != 32) return std::nullopt;
  const auto src = DecodeIpv4(selector.src.Address());
  const auto dst = DecodeIpv4(selector.dst.Address());
  return uint64_t(src->Get()) << 32 | dst->Get();
}

Spd::Chain& Spd::ChainOf(const PolicyEntry& entry) {
  const int direction = int(entry.policy.direction);
  if (const auto pair = HostPair(entry.policy.selector)) return exact_[direction][*pair];
  return inexact_[direction];
}

PolicyId Spd::Add(const Policy& policy) {
  const PolicyId id = nextId_++;
  PolicyEntry entry{id, policy, PolicyEntry::Peer::kDestination, std::nullopt};
  if (!policy.tmpl.peer.IsInvalid()) {
    entry.ipv4Peer = DecodeIpv4(policy.tmpl.peer);
    entry.peer = entry.ipv4Peer ? PolicyEntry::Peer::kIpv4 : PolicyEntry::Peer::kOther;
  }
  const Order order{policy.priority, id};
  const PolicyEntry& stored = entries_.emplace(order, std::move(entry)).first->second;
  ChainOf(stored).emplace(order, &stored);
  orderOf_[id] = order;
  return id;
}

bool Spd::Remove(PolicyId id) {
  auto order = orderOf_.find(id);
  if (order == orderOf_.end()) return false;
  auto it = entries_.find(order->second);
  const int direction = int(it->second.policy.direction);
  if (const auto pair = HostPair(it->second.policy.selector)) {
    auto chain = exact_[direction].find(*pair);
    chain->second.erase(order->second);
    if (chain->second.empty()) exact_[direction].erase(chain);
  } else {
    inexact_[direction].erase(order->second);
  }
  entries_.erase(it);
  orderOf_.erase(order);
  return true;
}

void Spd::Flush() {
  entries_.clear();
  orderOf_.clear();
  for (int d = 0; d < 2; ++d) {
    exact_[d].clear();
    inexact_[d].clear();
  }
}

const PolicyEntry* Spd::FirstMatch(const Chain& chain, const FlowTuple& flow,
                                   const Order* before) const {
  for (const auto& [order, entry] : chain) {
    if (before && !(order < *before)) return nullptr;
    if (entry->policy.selector.Matches(flow)) return entry;
  }
  return nullptr;
}

const PolicyEntry* Spd::Lookup(Direction direction, const FlowTuple& flow) const {
  const int d = int(direction);
  const PolicyEntry* exact = nullptr;
  if (!flow.ipv6) {
    auto chain = exact_[d].find(uint64_t(flow.src.Get()) << 32 | flow.dst.Get());
    if (chain != exact_[d].end()) exact = FirstMatch(chain->second, flow, nullptr);
  }
  const Order exactOrder = exact ? Order{exact->policy.priority, exact->id} : Order{};
  const PolicyEntry* inexact = FirstMatch(inexact_[d], flow, exact ? &exactOrder : nullptr);
  return inexact ? inexact : exact;
}

const PolicyEntry* Spd::Find(PolicyId id) const {
  auto order = orderOf_.find(id);
  return order == orderOf_.end() ? nullptr : &entries_.at(order->second);
}

std::vector<const PolicyEntry*> Spd::Entries() const {
  std::vector<const PolicyEntry*> all;
  all.reserve(entries_.size());
  for (const auto& [order, entry] : entries_) all.push_back(&entry);
  return all;
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
