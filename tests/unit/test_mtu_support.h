// Small two-node clusters for the MTU tests: one pod per worker, flows from
// a to b, everything else from the scenario defaults.
#pragma once

#include <stdexcept>
#include <string>

#include "runner.h"
#include "scenario.h"

namespace ipsecsim::mtu_test {

inline std::string TwoNodeYaml(const std::string& cluster, const std::string& flows) {
  return "name: mtu-test\nseed: 11\ncluster:\n  pools:\n    - {name: worker, nodes: 2}\n" +
         cluster + "pods:\n  - {name: a, node: worker-0}\n  - {name: b, node: worker-1}\nflows:\n" +
         flows;
}

inline harness::RunReport RunYaml(const std::string& yaml) {
  return harness::RunScenario(harness::LoadScenarioText(yaml, "mtu-test.yaml"),
                              harness::RunOptions{});
}

inline const harness::FlowResult& Flow(const harness::RunReport& r, const std::string& name) {
  const harness::FlowResult* f = r.FindFlow(name);
  if (!f) throw std::runtime_error("no flow " + name);
  return *f;
}

}  // namespace ipsecsim::mtu_test
