// The scenario a user describes in YAML (schema version 1, documented in
// docs/scenario-reference.md), after loading and validation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "external_spec.h"
#include "gateway_mode.h"
#include "lifecycle_spec.h"
#include "network_plan.h"
#include "platform.h"
#include "tunnel_df.h"
#include "underlay_spec.h"
#include "verdict.h"

namespace ipsecsim::harness {

// Bad input: where it is and what was expected. The CLI prints
// "FILE:LINE: KEY: MESSAGE" and exits 2.
// Control characters in a message (a NUL in a name) would cut it short or
// garble the terminal: they are written as \xNN.
std::string PrintableText(const std::string& text);

struct ScenarioError : std::runtime_error {
  ScenarioError(std::string file, int line, std::string key, std::string message)
      : std::runtime_error(PrintableText(file) + ":" + std::to_string(line) + ": " +
                           PrintableText(key) + ": " + PrintableText(message)),
        file(std::move(file)),
        line(line),
        key(std::move(key)),
        message(PrintableText(message)) {}
  std::string file;
  int line;         // 1-based; 0 when the whole file is at fault
  std::string key;  // dotted path, e.g. "flows[2].protocol"
  std::string message;
};

enum class IpsecMode { kDisabled, kExternal, kFull };
using sim::Encapsulation;
using sim::Platform;
enum class Protocol { kUdp, kTcp, kIcmp };
// The DF bit on the Geneve tunnel's outer IP header.
// The underlay's address family (cluster.ip_family): of the node IPs that
// Geneve, ESP and IKE use. Pods and host-network flows stay IPv4.
enum class IpFamily { kIpv4, kIpv6 };

struct PoolSpec {
  std::string name;  // nodes are named <name>-<index>, index from 0
  int nodes = 0;
  // spec.maxUnavailable; absent: lifecycle.machine_config.max_unavailable.
  std::optional<sim::MaxUnavailable> maxUnavailable;
  int maxUnavailableLine = 0;
};

struct ClusterSpec {
  std::string version = "4.15";  // OpenShift/OKD minor version modelled
  Platform platform = Platform::kBaremetal;
  int hostMtu = 1500;
  int clusterMtu = 0;  // resolved: given, or host_mtu - 100 - (46 when IPsec is Full)
  bool clusterMtuGiven = false;
  std::string linkRate = "10Gbps";  // underlay link rate (ns-3 DataRate syntax)
  double linkDelaySeconds = 50e-6;  // one-way underlay delay
  std::vector<PoolSpec> pools;
  IpsecMode ipsecMode = IpsecMode::kDisabled;
  Encapsulation encapsulation = Encapsulation::kAuto;
  sim::TunnelDfPolicy tunnelDf = sim::TunnelDfPolicy::kSet;  // OVS's df_default=true
  double linkLoss = 0;  // probability that an underlay link loses a packet
  // Libreswan nat-keepalive period of a node behind a NAT (ipsec.full.nat_keepalive); 0: none.
  double natKeepaliveSeconds = 20;
  IpFamily ipFamily = IpFamily::kIpv4;
  // gatewayConfig.routingViaHost: false (shared, the default) or true (local).
  sim::GatewayMode gatewayMode = sim::GatewayMode::kShared;
  // cluster.network: the cluster and machine networks and hostPrefix the
  // address plan is computed from (install-config's defaults when absent).
  sim::NetworkPlan network;
};

struct PodSpec {
  std::string name;
  std::string node;
  bool hostNetwork = false;
};

// An endpoint named in a flow: a pod, or a node (its host network).
struct FlowSpec {
  std::string name;
  std::string from;
  std::string to;
  Protocol protocol = Protocol::kUdp;
  int port = 8080;   // destination port (ignored for icmp)
  int packets = 10;  // datagrams, TCP writes, or echo requests
  int size = 100;    // payload bytes per packet (at least 16: the flow marker)
  double startSeconds = 1.0;
  double intervalSeconds = 0.01;
};

struct ExpectationSpec {
  std::string flow;     // flow name
  std::string verdict;  // encrypted | plaintext | local | dropped | mixed
  // Optional counts from the wire (report.json flows[].wire), checked exactly.
  std::optional<long long> fragments;
  std::optional<long long> maxFragmentsPerPacket;
  std::optional<long long> dfDrops;
  int line = 0;  // where it was written, for junit and messages
};

struct Scenario {
  std::string file;  // path it was loaded from
  std::string name;
  uint64_t seed = 1;
  double durationSeconds = 0;  // 0: until every flow has finished, plus a margin
  ClusterSpec cluster;
  std::vector<PodSpec> pods;
  std::vector<FlowSpec> flows;
  std::vector<ExpectationSpec> expect;
  UnderlaySpec underlay;  // firewalls and NATs between nodes
  // The install-time ipsecConfig as the operator's API holds it ("null": absent).
  std::string ipsecConfigJson = "null";
  std::optional<LifecycleSpec> lifecycle;              // rollouts and a procedure over time
  std::optional<ExternalSpec> external;                // external IPsec endpoints
  std::shared_ptr<const ExternalSetup> externalSetup;  // its files, once read
  std::vector<LifecycleExpectationSpec> expectLifecycle;

  // Node names in pool order: master-0, master-1, ..., worker-0, ...
  std::vector<std::string> NodeNames() const;
  const PodSpec* FindPod(const std::string& name) const;
  bool HasNode(const std::string& name) const;
  bool HasExternalHost(const std::string& name) const;
};

// Loads and validates; throws ScenarioError on any bad input.
Scenario LoadScenarioFile(const std::string& path);
// Same, from text (file is used only in messages).
Scenario LoadScenarioText(const std::string& text, const std::string& file);

const char* ToString(IpsecMode m);
const char* ToString(Protocol p);
const char* ToString(Encapsulation e);
const char* ToString(IpFamily f);
// The verdicts an expectation may name: VerdictNames() (verdict.h).

}  // namespace ipsecsim::harness
