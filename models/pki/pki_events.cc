#include "pki_events.h"

namespace ipsecsim::pki {

const char* PkiEventKindName(PkiEventKind kind) {
  switch (kind) {
    case PkiEventKind::kCaCreated:
      return "ca-created";
    case PkiEventKind::kCaRetired:
      return "ca-retired";
    case PkiEventKind::kPodStart:
      return "pod-start";
    case PkiEventKind::kCsrSubmitted:
      return "csr-submitted";
    case PkiEventKind::kCsrApproved:
      return "csr-approved";
    case PkiEventKind::kCsrDenied:
      return "csr-denied";
    case PkiEventKind::kCertIssued:
      return "cert-issued";
    case PkiEventKind::kCertRejected:
      return "cert-rejected";
  }
  return "unknown";
}

}  // namespace ipsecsim::pki
