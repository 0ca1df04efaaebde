// Findings about the certificates: the PKCS#12 bundle (readable with the
// password, MAC, key and certificate belonging together), validity and
// chain against the CA at the given date, the documented CN rule, and the
// NSS nicknames the import gives them against what the conns name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bundle_identity.h"
#include "check_conf.h"
#include "check_options.h"
#include "finding.h"
#include "import_script.h"

namespace ipsecsim::check {

struct BundleArtifact {
  std::string display;
  std::string installPath;  // on the node, when a MachineConfig writes it
  Bytes data;
  std::optional<pkcs12::BundleIdentity> identity;
  bool read = false;  // attempted
};

struct CaArtifact {
  std::string display;
  std::string installPath;
  std::vector<pki::Certificate> certs;
};

// Reads the bundle with `password` (a Malformed finding with the byte offset
// when it cannot be read) and checks it against the CAs at options.date.
void CheckBundle(BundleArtifact& bundle, const std::string& password,
                 const std::vector<CaArtifact>& cas, const CheckOptions& options,
                 Findings& findings);

void CheckCa(const CaArtifact& ca, const CheckOptions& options, Findings& findings);

// Runs the import script (or the documented one) on a fresh NSS database
// and compares the nicknames with the conns' leftcert.
void CheckImport(const ImportScript& script, const std::string& scriptDisplay,
                 std::vector<BundleArtifact>& bundles, const std::vector<CaArtifact>& cas,
                 const std::vector<CertReference>& certs, const CheckOptions& options,
                 Findings& findings);

}  // namespace ipsecsim::check
