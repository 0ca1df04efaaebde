// The proposals ipsecsim offers and accepts, and responder-side proposal
// selection (RFC 7296 §2.7, §3.3.6).
#pragma once

#include <cstdint>
#include <optional>

#include "payloads.h"

namespace ipsecsim::ike {

// ike=aes_gcm256-sha2_256 with D-H group 14 (see dh_modp2048.h for why 14).
Proposal IkeProposalAesGcm256Sha256Modp2048();
// esp=aes_gcm256 without ESN, the SPI being the sender's inbound SPI.
Proposal EspProposalAesGcm256(uint32_t spi);

// Same type, ID and key length.
bool SameTransform(const Transform& a, const Transform& b);

// The first offered proposal of `acceptable`'s protocol in which every
// transform type that `acceptable` lists is offered with a transform it lists,
// and no other type is offered. The result keeps the offered proposal number
// and SPI and one transform per type. nullopt: answer NO_PROPOSAL_CHOSEN.
std::optional<Proposal> SelectProposal(const SaPayload& offered, const Proposal& acceptable);

// True when `chosen` (a responder's answer) is a one-transform-per-type
// subset of one of the `offered` proposals with the same number: what an
// initiator checks before using it.
bool IsValidChoice(const Proposal& chosen, const SaPayload& offered);

// The transform of `type` in a chosen proposal, or nullptr.
const Transform* FindTransform(const Proposal& proposal, TransformType type);

}  // namespace ipsecsim::ike
