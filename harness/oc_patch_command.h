// `oc patch networks.operator.openshift.io cluster --type=merge -p '{...}'`,
// pasted from the documentation (a `$ ` prompt and backslash-newline
// continuations included), read into the patch it applies. Only patches of
// the Network operator's `cluster` object are taken.
#pragma once

#include <optional>
#include <string>

namespace ipsecsim::harness {

struct OcPatchCommand {
  bool json = false;      // --type=json; else --type=merge
  std::string body;       // -p / --patch
  std::string patchFile;  // --patch-file, as written
};

// nullopt with *error saying what oc (or the shell) would make of it.
std::optional<OcPatchCommand> ParseOcPatchCommand(const std::string& commandLine,
                                                  std::string* error);

}  // namespace ipsecsim::harness
