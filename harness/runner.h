// Runs one scenario on the simulated cluster and returns what the wire showed.
#pragma once

#include <optional>
#include <string>

#include "report.h"
#include "scenario.h"

namespace ipsecsim::harness {

struct RunOptions {
  std::string outDir;            // where pcaps and keys go (report files: the caller)
  bool pcap = false;             // write DIR/pcap/*.pcap and DIR/keys/esp_sa
  bool certs = false;            // write DIR/certs/*.pem (also done with pcap)
  std::optional<uint64_t> seed;  // overrides the scenario's seed
  // Every IPv4, UDP, TCP and ICMP checksum is filled (sim::OvnNode::SetChecksums);
  // off leaves them zero, only to measure what they cost (tests/bench), never
  // for results.
  bool checksums = true;
};

RunReport RunScenario(const Scenario& scenario, const RunOptions& options);

}  // namespace ipsecsim::harness
