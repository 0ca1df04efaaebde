// What kind of file the user handed over, decided from its content alone:
// so that each file reaches the reader meant for it, and a file passed
// where another kind is expected is named ("this looks like a Libreswan
// configuration; pass it as ...") instead of being misread or dumped.
#pragma once

#include <string>

namespace ipsecsim::check {

enum class ArtifactKind {
  kMissing,  // cannot be opened
  kEmpty,
  kLibreswanConf,    // config setup / conn / include
  kButane,           // YAML with variant:
  kMachineConfig,    // YAML or JSON with kind: MachineConfig
  kPkcs12,           // DER PFX (version 3, data authSafe)
  kPemCertificates,  // PEM with CERTIFICATE blocks
  kPemOther,         // PEM without certificates (keys, CSRs)
  kDerCertificate,   // a bare DER certificate
  kScenario,         // an ipsecsim scenario
  kPatchBody,        // an `oc patch` body for the cluster Network operator config
  kShellScript,
  kBinary,  // none of the above, and not text
  kText,    // none of the above, text
};

struct Artifact {
  ArtifactKind kind = ArtifactKind::kMissing;
  std::string path;
  size_t size = 0;
  std::string error;  // why it could not be read, for kMissing
};

// Reads at most the first 1 MiB to decide.
Artifact IdentifyFile(const std::string& path);
ArtifactKind IdentifyContent(const std::string& content);

// "a Libreswan configuration", "a PKCS#12 bundle", ...
std::string KindName(ArtifactKind kind);
// How ipsecsim takes a file of this kind ("ipsecsim check FILE ...").
std::string HowToPass(ArtifactKind kind);

}  // namespace ipsecsim::check
