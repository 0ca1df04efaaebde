// Why a node pair ends broken, black-holed or in clear: the chain of
// events the model knows, with simulated times (docs/lifecycle.md,
// "Causes"). Read from the control plane's log, the plutos' logs and the
// two kernels at the end.
#pragma once

#include <string>
#include <vector>

#include "cluster_lifecycle.h"
#include "ipsec_ike_mesh.h"
#include "pair_state_sampler.h"

namespace ipsecsim::harness {

struct PairCause {
  std::string kind;                // the cause's class, for the studies' breakdown
  std::vector<std::string> chain;  // oldest first, each "at 123.4 s: ..."
};

PairCause ExplainPair(const sim::ClusterWorld& world, const sim::IkeMesh& mesh,
                      const sim::PairStateSampler& sampler,
                      const std::vector<sim::LifecycleLogLine>& log, bool nbIpsec, uint32_t a,
                      uint32_t b);

}  // namespace ipsecsim::harness
