// The certificate events ipsecsim records, stamped with simulated time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ipsecsim::pki {

enum class PkiEventKind {
  kCaCreated,     // the operator made a CA (first one or refresh)
  kCaRetired,     // an old CA left the bundle: everything it signed expired
  kPodStart,      // a node's IPsec pod started and checked its certificate
  kCsrSubmitted,  // a node created a key and a CSR
  kCsrApproved,
  kCsrDenied,
  kCertIssued,
  kCertRejected,  // a certificate failed validation when it was used
};

const char* PkiEventKindName(PkiEventKind kind);

struct PkiEvent {
  int64_t time = 0;  // simulated UNIX seconds
  PkiEventKind kind = PkiEventKind::kPodStart;
  std::string node;     // node name; empty for CA events
  std::string subject;  // certificate or CSR common name
  std::string serial;   // hex serial when a certificate is involved
  std::string detail;   // reason, requester or validity, human-readable
};

using PkiEventLog = std::vector<PkiEvent>;

}  // namespace ipsecsim::pki
