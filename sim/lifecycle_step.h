// One step of a procedure run on the simulated cluster (docs/lifecycle.md):
// the commands the product documentation gives, as the operator and the
// MCO receive them. The scenario's procedure is a list of these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ocp_version.h"

namespace ipsecsim::sim {

// Each step starts `afterSeconds` after the previous one has finished (its
// rollouts complete, unless waitRollout is false).
struct LifecycleStep {
  enum class Kind {
    kMergePatch,
    kJsonPatch,
    kDeleteDaemonSets,
    kUpgrade,
    kWaitPools,
    kApplyMachineConfigs,  // oc apply -f FILE...: the user's MachineConfigs
    kAdvance               // time passes with nobody touching the cluster
  };
  Kind kind = Kind::kMergePatch;
  std::string body;  // patches
  // A patch given as a file: its name, which the command line shows instead
  // of the contents (`oc patch ... --patch-file FILE`).
  std::string patchFile;
  // DaemonSets to delete; the pools to wait for (empty: all); the pools
  // the applied MachineConfigs' role labels name, one per file.
  std::vector<std::string> names;
  // kApplyMachineConfigs: the files as the scenario names them.
  std::vector<std::string> files;
  OcpVersion to;  // upgrade
  // kAdvance: for this long, or (advanceTo set) until that UNIX time.
  double advanceSeconds = 0;
  std::optional<int64_t> advanceTo;
  double afterSeconds = 0;
  double timeoutSeconds = 3600;  // kWaitPools
  // false: the step ends when its command returns, and its rollouts go on
  // (a later step that is not a wait starts only once they are complete).
  bool waitRollout = true;
  std::string Describe() const;
};

}  // namespace ipsecsim::sim
