#include "chain_validation.h"

#include <cctype>

#include "x509_time.h"

namespace ipsecsim::pki {

namespace {

constexpr int kMaxPathLength = 8;

ChainResult Fail(ChainError error, std::string detail) { return {error, std::move(detail)}; }

std::string Describe(const Certificate& cert) {
  return "'" + cert.subjectCn + "' (serial " + cert.SerialHex() + ")";
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

ChainResult CheckTime(const Certificate& cert, int64_t at) {
  if (at < cert.notBefore) {
    return Fail(ChainError::kNotYetValid, Describe(cert) + " is valid only from " +
                                              FormatIso8601(cert.notBefore) + ", now is " +
                                              FormatIso8601(at));
  }
  if (at > cert.notAfter) {
    return Fail(ChainError::kExpired, Describe(cert) + " expired " + FormatIso8601(cert.notAfter) +
                                          ", now is " + FormatIso8601(at));
  }
  return {};
}

ChainResult CheckIssuerConstraints(const Certificate& issuer) {
  if (!issuer.IsCa()) {
    return Fail(ChainError::kNotCa, Describe(issuer) + " is not a CA (basicConstraints)");
  }
  if (issuer.extensions.keyUsage && !(*issuer.extensions.keyUsage & kKeyCertSign)) {
    return Fail(ChainError::kNotCa, Describe(issuer) + " lacks keyUsage keyCertSign");
  }
  return {};
}

// Issuers whose subject name matches, narrowed by the key identifier when
// both sides carry one (two CA generations share one name).
std::vector<const Certificate*> Candidates(const Certificate& cert,
                                           const std::vector<const Certificate*>& pool) {
  std::vector<const Certificate*> found;
  for (const Certificate* c : pool) {
    if (c->subjectName != cert.issuerName) continue;
    const Bytes& aki = cert.extensions.authorityKeyId;
    const Bytes& ski = c->extensions.subjectKeyId;
    if (!aki.empty() && !ski.empty() && aki != ski) continue;
    found.push_back(c);
  }
  return found;
}

}  // namespace

const char* ChainErrorName(ChainError error) {
  switch (error) {
    case ChainError::kNone:
      return "ok";
    case ChainError::kExpired:
      return "expired";
    case ChainError::kNotYetValid:
      return "not yet valid";
    case ChainError::kUnknownIssuer:
      return "unknown issuer";
    case ChainError::kBadSignature:
      return "bad signature";
    case ChainError::kNotCa:
      return "not a CA";
    case ChainError::kIdMismatch:
      return "ID mismatch";
    case ChainError::kUnsupportedCritical:
      return "unsupported critical extension";
    case ChainError::kPathTooLong:
      return "path too long";
  }
  return "unknown";
}

bool SignatureMemo::IsSignedBy(const Certificate& cert, const Certificate& issuer) {
  auto key = std::make_pair(cert.der, issuer.der);
  auto it = verdicts_.find(key);
  if (it != verdicts_.end()) return it->second;
  const bool verdict = pki::IsSignedBy(cert, issuer.publicKey);
  verdicts_.emplace(std::move(key), verdict);
  return verdict;
}

bool CertificateMatchesId(const Certificate& cert, std::string_view expectedId) {
  if (!expectedId.empty() && expectedId.front() == '@') expectedId.remove_prefix(1);
  if (expectedId.empty()) return false;
  if (EqualsIgnoreCase(cert.subjectCn, expectedId)) return true;
  for (const auto& dns : cert.extensions.dnsNames) {
    if (EqualsIgnoreCase(dns, expectedId)) return true;
  }
  return false;
}

ChainResult ValidateChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                          const std::vector<Certificate>& trustAnchors, int64_t at,
                          std::string_view expectedId, SignatureMemo* memo) {
  std::vector<const Certificate*> anchors, pool;
  for (const auto& c : trustAnchors) anchors.push_back(&c);
  for (const auto& c : intermediates) pool.push_back(&c);

  const Certificate* current = &leaf;
  for (int depth = 0;; ++depth) {
    if (depth >= kMaxPathLength) {
      return Fail(ChainError::kPathTooLong,
                  "no trusted CA within " + std::to_string(kMaxPathLength) + " certificates");
    }
    if (!current->extensions.unknownCritical.empty()) {
      return Fail(ChainError::kUnsupportedCritical,
                  Describe(*current) + " has critical extension " +
                      current->extensions.unknownCritical.front());
    }
    if (auto time = CheckTime(*current, at); !time.Ok()) return time;

    bool anchored = true;
    auto candidates = Candidates(*current, anchors);
    if (candidates.empty()) {
      anchored = false;
      candidates = Candidates(*current, pool);
    }
    if (candidates.empty()) {
      return Fail(ChainError::kUnknownIssuer, "no trusted CA issued " + Describe(*current) +
                                                  " (issuer '" + current->issuerCn + "')");
    }
    const Certificate* issuer = nullptr;
    for (const Certificate* candidate : candidates) {
      if (memo ? memo->IsSignedBy(*current, *candidate)
               : IsSignedBy(*current, candidate->publicKey)) {
        issuer = candidate;
        break;
      }
    }
    if (!issuer) {
      return Fail(ChainError::kBadSignature, "the signature of " + Describe(*current) +
                                                 " does not verify with the key of " +
                                                 Describe(*candidates.front()));
    }
    if (auto constraints = CheckIssuerConstraints(*issuer); !constraints.Ok()) return constraints;
    if (anchored) {
      if (auto time = CheckTime(*issuer, at); !time.Ok()) return time;
      break;
    }
    current = issuer;
  }

  if (!expectedId.empty() && !CertificateMatchesId(leaf, expectedId)) {
    return Fail(ChainError::kIdMismatch,
                "peer ID " + std::string(expectedId) + " does not name " + Describe(leaf));
  }
  return {};
}

}  // namespace ipsecsim::pki
