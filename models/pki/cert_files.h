// Writes the cluster's certificates as PEM files for inspection with
// standard tools:
//   DIR/certs/ca.pem            the signing CA
//   DIR/certs/ca-<n>.pem        older CA generation n still in the bundle
//   DIR/certs/ca-bundle.pem     every trusted CA, newest first
//   DIR/certs/<node>.pem        the node's certificate
//   DIR/certs/<node>.csr.pem    its latest CSR
//   DIR/certs/<node>.key.pem    its private key (PKCS#8)
#pragma once

#include <string>
#include <vector>

#include "node_enrollment.h"
#include "operator_signer.h"

namespace ipsecsim::pki {

// Returns false and sets *error when a file cannot be written.
bool WriteCertFiles(const std::string& dir, const OperatorSigner& signer,
                    const std::vector<NodeEnrollment>& nodes, std::string* error);

}  // namespace ipsecsim::pki
