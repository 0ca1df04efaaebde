// Findings where the product documentation draws a line the scenario's
// procedure crosses (docs/lifecycle.md): enabling IPsec without the 46-byte
// MTU reduction, updating to 4.15 with IPsec on or with the IPsec
// DaemonSets left, disabling IPsec that was on at install. Each quotes the
// documentation; like the ports table they only explain, never decide.
#pragma once

#include <vector>

#include "preflight_finding.h"
#include "scenario.h"

namespace ipsecsim::harness {

// Ids D1, D2, ... in the procedure's order.
std::vector<PreflightFinding> DocumentationFindings(const Scenario& scenario);

}  // namespace ipsecsim::harness
