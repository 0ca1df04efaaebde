#include "ike_proposals.h"

#include <algorithm>

namespace ipsecsim::ike {
namespace {

Transform MakeTransform(TransformType type, uint16_t id, std::optional<uint16_t> keyLength = {}) {
  Transform t;
  t.type = type;
  t.id = id;
  if (keyLength) {
    TransformAttribute attr;
    attr.type = kAttributeKeyLength;
    attr.shortForm = true;
    attr.shortValue = *keyLength;
    t.attributes.push_back(attr);
  }
  return t;
}

bool ListsType(const Proposal& p, TransformType type) { return FindTransform(p, type) != nullptr; }

}  // namespace

Proposal IkeProposalAesGcm256Sha256Modp2048() {
  Proposal p;
  p.protocol = ProtocolId::kIke;
  p.transforms = {MakeTransform(TransformType::kEncr, transform_id::kEncrAesGcm16, 256),
                  MakeTransform(TransformType::kPrf, transform_id::kPrfHmacSha256),
                  MakeTransform(TransformType::kDh, transform_id::kDhModp2048)};
  return p;
}

Proposal EspProposalAesGcm256(uint32_t spi) {
  Proposal p;
  p.protocol = ProtocolId::kEsp;
  p.spi = Bytes(4);
  PutU32(p.spi.data(), spi);
  p.transforms = {MakeTransform(TransformType::kEncr, transform_id::kEncrAesGcm16, 256),
                  MakeTransform(TransformType::kEsn, transform_id::kEsnNone)};
  return p;
}

bool SameTransform(const Transform& a, const Transform& b) {
  return a.type == b.type && a.id == b.id && a.KeyLength() == b.KeyLength();
}

const Transform* FindTransform(const Proposal& proposal, TransformType type) {
  for (const auto& t : proposal.transforms)
    if (t.type == type) return &t;
  return nullptr;
}

std::optional<Proposal> SelectProposal(const SaPayload& offered, const Proposal& acceptable) {
  for (const Proposal& candidate : offered.proposals) {
    if (candidate.protocol != acceptable.protocol) continue;
    const bool foreignType =
        std::any_of(candidate.transforms.begin(), candidate.transforms.end(),
                    [&](const Transform& t) { return !ListsType(acceptable, t.type); });
    if (foreignType) continue;
    Proposal chosen;
    chosen.number = candidate.number;
    chosen.protocol = candidate.protocol;
    chosen.spi = candidate.spi;
    bool complete = true;
    for (const Transform& wanted : acceptable.transforms) {
      if (FindTransform(chosen, wanted.type)) continue;  // type already settled
      const Transform* match = nullptr;
      for (const Transform& t : candidate.transforms) {
        if (t.type != wanted.type) continue;
        for (const Transform& ok : acceptable.transforms)
          if (SameTransform(t, ok)) match = &t;
        if (match) break;
      }
      if (!match) {
        complete = false;
        break;
      }
      chosen.transforms.push_back(*match);
    }
    if (complete) return chosen;
  }
  return std::nullopt;
}

bool IsValidChoice(const Proposal& chosen, const SaPayload& offered) {
  for (const Proposal& p : offered.proposals) {
    if (p.number != chosen.number || p.protocol != chosen.protocol) continue;
    bool allOffered = true;
    for (const Transform& t : chosen.transforms) {
      const bool found = std::any_of(p.transforms.begin(), p.transforms.end(),
                                     [&](const Transform& o) { return SameTransform(o, t); });
      allOffered = allOffered && found;
    }
    return allOffered && !chosen.transforms.empty();
  }
  return false;
}

}  // namespace ipsecsim::ike
