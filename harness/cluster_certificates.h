// The certificates of a simulated cluster at install: the network operator's
// CA and, for every node, the certificate its IPsec pod obtains through a CSR
// at first start. Written with --certs (and --pcap) for inspection with
// openssl.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "install_date.h"
#include "node_enrollment.h"
#include "operator_signer.h"
#include "pki_events.h"

namespace ipsecsim::harness {

struct ClusterCertificates {
  pki::PkiEventLog log;
  pki::OperatorSigner signer;
  std::vector<pki::NodeEnrollment> nodes;
  explicit ClusterCertificates(uint64_t seed);
};

// The OVS system-id of a node: a UUID derived from the seed and node name.
std::string SystemIdFor(uint64_t seed, const std::string& nodeName);

// Creates the CA and enrols every node at kInstallEpoch.
void IssueClusterCertificates(const std::vector<std::string>& nodeNames, uint64_t seed,
                              ClusterCertificates* out);

}  // namespace ipsecsim::harness
