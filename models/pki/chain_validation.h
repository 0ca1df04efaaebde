// Certificate path validation as IKE does it for a peer: every signature up
// to a trusted CA, validity at the simulated time, CA constraints on the
// issuers, and the peer's IKE ID (@<system-id>) against the leaf's CN or a
// SAN DNS name.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "certificate.h"

namespace ipsecsim::pki {

enum class ChainError {
  kNone,
  kExpired,
  kNotYetValid,
  kUnknownIssuer,
  kBadSignature,
  kNotCa,
  kIdMismatch,
  kUnsupportedCritical,  // a critical extension ipsecsim does not understand
  kPathTooLong,
};

const char* ChainErrorName(ChainError error);

struct ChainResult {
  ChainError error = ChainError::kNone;
  std::string detail;
  bool Ok() const { return error == ChainError::kNone; }
};

// Remembers signature checks already made: the verdict depends only on the
// two certificates, and a long timeline re-validates the same few pairs
// thousands of times.
class SignatureMemo {
 public:
  bool IsSignedBy(const Certificate& cert, const Certificate& issuer);

 private:
  std::map<std::pair<Bytes, Bytes>, bool> verdicts_;
};

// `expectedId` is "@<system-id>" (or the bare name); empty skips the ID check.
// `intermediates` may be empty: ipsecsim's CAs sign node certificates
// directly. Trust anchors are checked for validity and the CA flag too.
ChainResult ValidateChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                          const std::vector<Certificate>& trustAnchors, int64_t at,
                          std::string_view expectedId, SignatureMemo* memo = nullptr);

// True when the ID names the certificate (CN or DNS SAN, case-insensitive).
bool CertificateMatchesId(const Certificate& cert, std::string_view expectedId);

}  // namespace ipsecsim::pki
