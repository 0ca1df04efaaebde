// The certificate import script the documented MachineConfig runs as
// ipsec-import.service (/usr/local/bin/ipsec-addcert.sh): its certutil and
// pk12util commands, run against a model of the node's NSS database with
// the nickname rules of models/pkcs12/nss_import.h. `bash -e` stops at the
// first failing command.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bundle_identity.h"
#include "certificate.h"
#include "nss_import.h"

namespace ipsecsim::check {

struct ScriptCommand {
  enum class Kind { kAddCertificate, kImportBundle, kModifyTrust };
  Kind kind;
  int line = 0;
  std::string text;      // the command as written
  std::string nickname;  // -n
  std::string file;      // -i
  std::string password;  // pk12util -W
  bool passwordGiven = false;
};

struct ImportScript {
  bool stopsOnError = false;  // #!/bin/bash -e, or set -e
  std::vector<ScriptCommand> commands;
};

ImportScript ParseImportScript(const std::string& text);
// The commands of the documented script, for when no MachineConfig is given.
ImportScript DocumentedImportScript(const std::string& caFile, const std::string& bundleFile);

struct StepResult {
  const ScriptCommand* command;
  bool ok = true;
  std::string output;  // what the tool prints
};

struct ImportRun {
  std::vector<StepResult> steps;
  bool stopped = false;  // bash -e ended the script at a failing step
  pkcs12::NssDatabase db;
};

// What the script's files are: certificates for certutil -A, bundles for pk12util.
struct ImportFiles {
  std::function<std::optional<std::vector<pki::Certificate>>(const std::string&)> certificates;
  std::function<std::optional<pkcs12::BundleIdentity>(const std::string& file,
                                                      const ScriptCommand&)>
      bundle;
};

ImportRun RunImportScript(const ImportScript& script, const ImportFiles& files);

}  // namespace ipsecsim::check
