// What a run found, independent of how it is printed: the terminal table,
// report.json and junit.xml are written from this.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lifecycle_report.h"
#include "preflight_finding.h"
#include "wire_cost.h"

namespace ipsecsim::harness {

// Classes of underlay frames, as the wire oracle names them.
//   "esp"        IP protocol 50
//   "esp-in-udp" ESP inside UDP 4500
//   "ike"        UDP 500, or UDP 4500 with the non-ESP marker
//   "geneve"     Geneve (UDP 6081) in clear
//   "clear"      any other IP packet in clear
struct LinkEvidence {
  std::string link;                         // e.g. "worker-0/eth0"
  std::map<std::string, uint64_t> packets;  // class -> packets of this flow on this link
};

// What a flow cost on the underlay, from the wire oracle: every IP packet
// that carried the flow's payload, counted once, on the link where it entered
// the underlay (the sending node's NIC).
struct WireAccounting : FlowWireCost {
  uint64_t dfDrops = 0;         // dropped at the tunnel: too big, DF set
  uint64_t icmpFragNeeded = 0;  // ICMP "fragmentation needed" read on the sender's port
  uint64_t nextHopMtu = 0;      // the MTU the last such ICMP announced (0: none)
  // bytes / bytes delivered; 0 when nothing was delivered.
  double BytesPerPayloadByte(uint64_t delivered) const {
    return delivered == 0 ? 0.0 : double(bytes) / double(delivered);
  }
};

// What a flow's datagrams did on the wire before, while and after nodes
// with different pod MTUs coexisted during an MTU change (mtu_phases.h).
struct MtuPhase {
  std::string phase;  // before | mixed | after
  double from = 0, until = 0;
  uint64_t datagrams = 0, fragments = 0, dfDrops = 0;
};

struct FlowResult {
  std::string name;
  std::string from;
  std::string to;
  std::string protocol;
  std::string verdict;     // encrypted | plaintext | local | dropped | mixed
  uint64_t sent = 0;       // packets (udp, icmp) or segments' payload writes (tcp)
  uint64_t delivered = 0;  // packets or echo replies received by the application
  uint64_t bytesSent = 0;
  uint64_t bytesDelivered = 0;
  uint64_t protectedPackets = 0;  // underlay packets of this flow seen protected
  uint64_t clearPackets = 0;      // underlay packets of this flow with its marker in clear
  std::vector<LinkEvidence> evidence;
  WireAccounting wire;
  std::string explanation;             // one line: why this verdict
  std::vector<std::string> preflight;  // ids of the preflight findings that bear on it
  // Lifecycle runs: runs of lost datagrams (numbered UDP flows) and of
  // packets seen in clear, over time.
  bool timed = false;
  std::vector<TimeWindow> lossWindows;
  std::vector<TimeWindow> clearWindows;
  std::vector<MtuPhase> mtuPhases;  // with an MTU change during the run
};

struct ExternalFinding {
  std::string pool;   // the MachineConfig's role
  std::string level;  // malformed | error | warning
  std::string topic;
  std::string text;  // "FILE:LINE: LEVEL: MESSAGE [topic]", as `ipsecsim check` prints it
  std::vector<std::string> flows;
};

// The cluster's MTU budget against the exact overhead (docs/scenario-reference).
struct MtuBudget {
  std::string protection;  // none | esp | esp-in-udp
  int geneveBytes = 0, geneveBudget = 0;
  int ipsecBytesMin = 0, ipsecBytesMax = 0, ipsecBudget = 0;  // 0 without IPsec
  int fullSizePodPacketOnWire = 0;  // IP length of a cluster_mtu pod packet, unfragmented
  int largestPodPacketThatFits = 0;
  int headroom = 0;  // host_mtu - fullSizePodPacketOnWire (negative: fragments or drops)
  std::string note;  // one line with the numbers
};

struct ExpectationResult {
  std::string flow;
  std::string expected;
  std::string actual;
  bool pass = false;
  int line = 0;
};

// One Child SA in one direction, as the node's kernel holds it (`ip xfrm
// state`, `swanctl --list-sas`).
struct ChildSaView {
  std::string connection;  // the IKE connection that installed it ("" when retiring)
  std::string direction;   // in | out
  std::string spi;         // "0x0000abcd"
  uint32_t reqid = 0;
  std::string src, dst;
  std::string protocol = "ESP";
  std::string algorithm;  // e.g. AES-GCM-16-256, from the key length
  std::string mode = "transport";
  std::string encapsulation;                                // "" or "UDP 4500"
  std::vector<std::string> trafficSelectors;                // the protect policies using it
  double installedSeconds = 0;                              // when it was added
  double softLifetimeSeconds = 0, hardLifetimeSeconds = 0;  // from install; 0: none
  uint64_t bytes = 0;
  uint64_t packets = 0;
};

// One IKE SA of a node's daemon and the connections it carries.
struct IkeSaView {
  std::string spiI, spiR;  // 16 hex digits each
  std::string peerId;
  std::string algorithms;  // e.g. AES_GCM_16_256/PRF_HMAC_SHA2_256/MODP_2048
  double upSinceSeconds = 0;
  std::vector<std::string> connections;
};

struct NodeCounters {
  std::string node;
  std::map<std::string, uint64_t> xfrmStat;  // non-zero /proc/net/xfrm_stat counters
  uint64_t saCount = 0;
  uint64_t policyCount = 0;
  // The node's IKE daemon, one line per connection like `ipsec trafficstatus`.
  std::vector<std::string> ipsecStatus;
  uint64_t connectionsUp = 0;
  // At the end of the run, like `swanctl --list-sas`.
  std::vector<IkeSaView> ikeSas;
  std::vector<ChildSaView> childSas;
  bool external = false;  // an external IPsec endpoint, not a cluster node
  // What pluto said loading the host's own Libreswan files (conns it
  // refused, settings read but not modelled) and what their import printed.
  std::vector<std::string> plutoLog;
};

// When and where a run happened, for CI files only: report.json stays
// byte-identical for the same scenario and seed.
struct RunClock {
  std::string startedUtc;  // ISO 8601 without a zone, e.g. "2026-01-01T00:00:00" (UTC)
  double wallSeconds = 0;  // real time the simulation took
  std::string hostname = "localhost";
};

// The cluster at install, beside the top-level fields, which describe it at
// the end (they differ after a lifecycle procedure).
struct InstallState {
  std::string version;
  std::string ipsecMode;
  MtuBudget mtuBudget;
};

struct RunReport {
  RunClock clock;
  std::string scenario;
  std::string scenarioFile;
  uint64_t seed = 0;
  std::string version;
  std::string platform;
  std::string ipFamily = "ipv4";  // the underlay's: cluster.ip_family
  std::string ipsecMode;
  int hostMtu = 0;
  int clusterMtu = 0;
  std::string cryptoMode = "real";  // every ESP byte encrypted with AES-GCM
  // How the ESP SAs got their keys: "ike" (negotiated by IKEv2 on the
  // simulated wire) or "static" (installed directly from the seed).
  double linkLoss = 0;  // cluster.link_loss: per-frame loss on each uplink
  std::string keying = "none";
  double simulatedSeconds = 0;
  std::string tunnelDf = "set";  // the Geneve tunnel's DF policy
  MtuBudget mtuBudget;
  std::map<std::string, uint64_t> underlayPackets;  // class -> packets, all links
  // What the underlay's middleboxes did: one line per firewall rule that
  // denied packets, e.g. "rule 1 (deny proto 50) on link worker-1/eth0: 40
  // packets", then each NAT's non-zero counters.
  std::vector<std::string> underlayFilters;
  // The ports-table preflight: what the firewalls, platform and NATs will
  // not pass between nodes (explains verdicts; never decides them).
  std::vector<PreflightFinding> preflight;
  // `ipsecsim check` on each pool's external-endpoint MachineConfig, and the
  // flows between that pool's nodes and the external hosts it bears on.
  std::vector<ExternalFinding> externalFindings;
  std::vector<FlowResult> flows;
  std::vector<ExpectationResult> expectations;
  std::vector<NodeCounters> nodes;
  std::optional<LifecycleReport> lifecycle;  // scenarios with a lifecycle section
  InstallState install;

  bool AllExpectationsPass() const;  // true when there are none
  int PassedExpectations() const;
  int FailedExpectations() const;
  const FlowResult* FindFlow(const std::string& name) const;
};

// report.json: every field above, stable key order, byte-identical for the
// same scenario and seed.
void WriteJsonReport(const RunReport& report, const std::string& path);
// junit.xml: one testsuite per scenario, one testcase per expectation.
void WriteJunitReport(const RunReport& report, const std::string& path);
struct TableOptions {
  size_t columns = 100;  // the terminal's width
  bool verbose = false;  // every lifecycle pair that is not up, with its cause
  bool sas = false;      // the SAS section (FormatSas)
};
// The terminal table: flows with verdict, sent/delivered and evidence summary,
// then each expectation with PASS/FAIL.
std::string FormatTable(const RunReport& report, const TableOptions& options = {});

// Every node's IKE and Child SAs at the end of the run, at `nowSeconds`.
std::string FormatSas(const RunReport& report, double nowSeconds);

// The same documents as strings, for callers that do not want files.
std::string FormatJsonReport(const RunReport& report);
std::string FormatJunitReport(const RunReport& report);

// Several lines on what the wire showed for one flow: counts, per-link
// classes and the explanation. Used in junit failures and by the CLI.
std::string DescribeEvidence(const FlowResult& flow);

}  // namespace ipsecsim::harness
