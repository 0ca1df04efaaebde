// The scenario's `lifecycle:` section: how the control plane rolls things
// out and the procedure it runs (docs/scenario-reference.md, docs/lifecycle.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "external_spec.h"
#include "lifecycle_step.h"
#include "machine_config_pool.h"
#include "ocp_version.h"
#include "rollout_timing.h"

namespace ipsecsim::harness {

// A step as the scenario writes it: the simulator's step, where it is
// written and, for `apply`, the files resolved against the scenario's
// directory (harness/external reads them).
struct ProcedureStepSpec : sim::LifecycleStep {
  int line = 0;
  std::vector<ExternalFileRef> applied;
  bool ipsecFullAfter = false;  // the rehearsal's ipsecConfig.mode after it
};

// A step that crosses a line the product documentation draws
// (preflight_documentation.h turns each into a finding).
struct DocumentedLine {
  enum class Rule {
    kEnableUnreducedMtu,
    kUpdateWithIpsec,
    kDisableInstalled,
    kUpdateKeepsDaemonSets
  };
  Rule rule = Rule::kEnableUnreducedMtu;
  int line = 0;
  std::string step;                     // what the step does, e.g. "update 4.14.12 -> 4.15.0"
  int podMtu = 0, machineMtu = 0;       // kEnableUnreducedMtu: the pods' and machines' MTU
  std::vector<std::string> daemonSets;  // kUpdateKeepsDaemonSets: those still there
};

struct LifecycleSpec {
  bool fixedDaemons = false;  // daemon_fixes: fixed (the vendor's z-stream fixes)
  std::string libreswan;      // "" (the release's), "4.5", "4.6", "4.9", "5.x"
  // What a real cluster would only warn about (the update graph's risks).
  std::vector<std::string> warnings;
  std::vector<DocumentedLine> documented;
  bool modelledCrypto = false;
  double sampleIntervalSeconds = 1;
  double settleSeconds = 120;       // simulated after the procedure has finished
  double probeIntervalSeconds = 1;  // 0: no probes
  int probeSize = 100;
  // DaemonSet rolling updates and the Machine Config Operator's.
  sim::RolloutTiming timing;
  // The procedure
  double startSeconds = 30;
  std::vector<ProcedureStepSpec> steps;
};

// An expectation on a lifecycle run: every probe pair's verdict in a time
// window (`probes`), or a measured value at the end (`metric`).
struct LifecycleExpectationSpec {
  std::string probes;  // "all", or "<from-node>><to-node>"
  std::string verdict;
  double fromSeconds = 0;
  double untilSeconds = 0;
  std::string metric;                // one of LifecycleMetricNames()
  std::string equals;                // the value, as the report writes it
  std::optional<long long> atLeast;  // instead of equals, for counts
  int line = 0;
};

const std::vector<std::string>& LifecycleMetricNames();

}  // namespace ipsecsim::harness
