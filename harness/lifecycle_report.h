// What a lifecycle run measured (report.json "lifecycle"): the control
// plane's events, each node pair's SA state over time, each probe pair's
// loss and cleartext windows, and the summary numbers.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "machine_config_pool.h"

namespace ipsecsim::harness {

struct TimeWindow {
  double from = 0;
  double to = 0;
  uint64_t packets = 0;
};

struct StateInterval {
  double from = 0;
  double to = 0;
  std::string state;  // up | black-holed | negotiating | clear | node-down
};

struct PairTimeline {
  std::string a;
  std::string b;
  std::vector<StateInterval> intervals;
  bool everBlackHoled = false;
  // At the end: every daemon reports the pair's four connections up.
  bool reportedUp = false;
  // Not up at the end: why, as far as the model knows (lifecycle_causes.h).
  std::string causeKind;
  std::vector<std::string> cause;
};

struct ProbePairResult {
  std::string from;
  std::string to;
  uint64_t sent = 0;
  uint64_t delivered = 0;
  std::vector<TimeWindow> lossWindows;   // runs of probes that never arrived
  std::vector<TimeWindow> clearWindows;  // runs of probes readable on the wire
  bool losingAtEnd = false;              // its last three probes were lost
};

struct LifecycleEventLine {
  double seconds = 0;
  std::string text;
};

// A node rebooted into new MTUs: the pod (route) MTU before and after,
// ovnkube-config's mtu and routable-mtu (0: none) and the machine MTU.
struct MtuChangeLine {
  double seconds = 0;
  std::string node;
  int podMtuBefore = 0, podMtu = 0, interfaceMtu = 0, routableMtu = 0, machineMtu = 0;
};

// A node's IPsec certificate at the end of a run that lived through time.
struct CertificateLine {
  std::string node;
  std::string serial;
  std::string notBefore, notAfter;  // ISO 8601
  int issuer = 0;                   // the CA generation that signed it
  int trusts = 0;                   // the CA generation the node copied
  bool validAtEnd = false;          // within its validity and its CA's, at the end
};

struct LifecycleReport {
  std::string installedVersion;
  std::string finalVersion;
  std::string daemonFixes;            // stock | fixed
  std::string libreswan;              // the override, or "" for each release's own
  std::vector<std::string> warnings;  // what a real cluster would warn about
  std::string ipsecConfig;            // the final ipsecConfig, as JSON ("null": absent)
  bool nbGlobalIpsec = false;
  bool nbGlobalIpsecEncapsulation = false;
  std::vector<std::string> daemonSets;
  std::vector<std::string> machineConfigs;
  double procedureStart = 0;
  double procedureFinished = 0;
  double rolloutSeconds = 0;  // the steps' rollouts, summed
  uint32_t reboots = 0;
  uint32_t podStarts = 0;
  std::vector<LifecycleEventLine> events;
  std::vector<MtuChangeLine> mtuChanges;
  std::vector<sim::PoolSnapshot> pools;  // after the install and at each step's end
  std::string podMtus;  // the nodes' pod MTUs at the end, distinct, ascending: "1354"
  std::vector<PairTimeline> pairs;
  // Each node with each external host (node IP <-> host IP); empty without
  // external hosts.
  std::vector<PairTimeline> externalPairs;
  size_t externalPairsUp = 0;
  double probeInterval = 0;
  std::vector<ProbePairResult> probes;
  // Summary
  uint64_t pairsUp = 0;          // at the end
  uint64_t blackHoledPairs = 0;  // at the end
  uint64_t clearPairs = 0;       // at the end: both directions in clear
  uint64_t brokenPairs = 0;      // not up at the end, yet reported up
  uint64_t pairsEverBlackHoled = 0;
  double blackHoledPairSeconds = 0;
  double clearPairSeconds = 0;
  double incompletePairSeconds = 0;
  uint64_t probesLost = 0;
  double disruptionPairSeconds = 0;  // lost probes x interval, over ordered pairs
  double longestLossWindow = 0;
  uint64_t probePairsLosing = 0;  // losing at the end
  uint64_t saCount = 0;           // SAD entries over all nodes at the end
  uint64_t policyCount = 0;       // SPD entries over all nodes at the end
  // Certificates over the years (only with an advance step in the procedure).
  std::string endDate;  // ISO 8601, the simulated wall clock at the end
  std::vector<CertificateLine> certificates;
  uint32_t certificateRenewals = 0;
  int caGenerations = 1;
  uint64_t certificateRejections = 0;  // IKE_AUTHs failed on a peer certificate
};

// Runs of datagrams sent before `cut` that never arrived.
std::vector<TimeWindow> LossWindows(const std::vector<double>& sentAt,
                                    const std::vector<bool>& arrived, double cut);
// Runs of packets the wire showed in clear, from a (seconds, in clear) timeline.
std::vector<TimeWindow> ClearWindows(const std::vector<std::pair<double, bool>>& timeline);
nlohmann::ordered_json WindowsJson(const std::vector<TimeWindow>& windows);

nlohmann::ordered_json LifecycleJson(const LifecycleReport& report);
// kSummary groups the pairs that are not up by state and cause, e.g.
// "15 pairs clear since 812.0 s, cause ipsec-off"; kFull lists every pair
// with its cause chain (ipsecsim run --verbose, and junit.xml failures).
enum class LifecycleDetail { kSummary, kFull };
// The terminal's lines for it.
std::string FormatLifecycle(const LifecycleReport& report,
                            LifecycleDetail detail = LifecycleDetail::kSummary);
// One row per pair interval and per probe loss window, for plots.
std::string LifecycleTimelineCsv(const LifecycleReport& report);

}  // namespace ipsecsim::harness
