// Runs one scenario on the simulated cluster and returns what the wire showed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "report.h"
#include "scenario.h"

namespace ipsecsim::harness {

// Where a running simulation is, for a progress line.
struct RunProgress {
  double now = 0;         // simulated seconds
  double end = 0;         // when it stops, simulated seconds; 0 while unknown
  uint64_t events = 0;    // ns-3 events executed so far
  std::string step;       // lifecycle runs: the procedure's current step
  bool finished = false;  // the last call: the simulation has stopped
};

struct RunOptions {
  std::string outDir;            // where pcaps and keys go (report files: the caller)
  bool pcap = false;             // write DIR/pcap/*.pcap and DIR/keys/esp_sa
  bool certs = false;            // write DIR/certs/*.pem (also done with pcap)
  std::optional<uint64_t> seed;  // overrides the scenario's seed
  // Every IPv4, UDP, TCP and ICMP checksum is filled (sim::OvnNode::SetChecksums);
  // off leaves them zero, only to measure what they cost (tests/bench), never
  // for results.
  bool checksums = true;
  // Called from a periodic simulator event (every progressInterval simulated
  // seconds) and once at the end. The event reads the simulation and changes
  // nothing in it: a run reports the same with or without it.
  std::function<void(const RunProgress&)> onProgress;
  double progressInterval = 0.05;
};

RunReport RunScenario(const Scenario& scenario, const RunOptions& options);

}  // namespace ipsecsim::harness
