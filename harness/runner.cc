#include "runner.h"

#include <ns3/core-module.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

#include "cert_files.h"
#include "cluster_certificates.h"
#include "cluster_world.h"
#include "external_endpoints.h"
#include "flow_marker.h"
#include "icmp_port_tap.h"
#include "ipsec_ike_mesh.h"
#include "ipsec_release.h"
#include "key_log.h"
#include "lifecycle_run.h"
#include "mtu_budget.h"
#include "mtu_phases.h"
#include "preflight.h"
#include "preflight_documentation.h"
#include "sa_view.h"
#include "traffic.h"
#include "underlay_setup.h"
#include "verdict.h"
#include "wire_oracle.h"

namespace ipsecsim::harness {

using namespace ns3;

namespace {

constexpr double kDrainSeconds = 3.0;  // after the last send, for TCP and queued packets

sim::FlowProtocol ToSim(Protocol p) {
  switch (p) {
    case Protocol::kTcp:
      return sim::FlowProtocol::kTcp;
    case Protocol::kIcmp:
      return sim::FlowProtocol::kIcmp;
    case Protocol::kUdp:
      break;
  }
  return sim::FlowProtocol::kUdp;
}

std::vector<LinkEvidence> ToLinkEvidence(const FlowWireEvidence* e) {
  std::vector<LinkEvidence> out;
  if (!e) return out;
  for (auto& [link, classes] : e->links) out.push_back(LinkEvidence{link, classes});
  return out;
}

// An expectation's verdict and optional wire counts, each written
// "verdict, name value" so that expected and actual read side by side.
ExpectationResult Check(const ExpectationSpec& x, const RunReport& r) {
  ExpectationResult er{x.flow, x.verdict, "", false, x.line};
  const FlowResult* fr = r.FindFlow(x.flow);
  if (!fr) return er;
  er.actual = fr->verdict;
  er.pass = fr->verdict == x.verdict;
  auto count = [&](const char* name, const std::optional<long long>& want, uint64_t got) {
    if (!want) return;
    er.expected += std::string(", ") + name + " " + std::to_string(*want);
    er.actual += std::string(", ") + name + " " + std::to_string(got);
    er.pass = er.pass && uint64_t(*want) == got;
  };
  count("fragments", x.fragments, fr->wire.fragments);
  count("max_fragments_per_packet", x.maxFragmentsPerPacket, fr->wire.maxFragmentsPerPacket);
  count("df_drops", x.dfDrops, fr->wire.dfDrops);
  return er;
}

struct DfDropTally {
  uint64_t drops = 0;
  std::vector<double> at;  // when each drop happened
  uint64_t icmpSent = 0;
  uint16_t nextHopMtu = 0;
};

// Everything one run builds; destroyed after ns-3 has disposed its objects.
struct World {
  sim::KeyLog keys;  // outlives the models that announce to it
  std::unique_ptr<sim::ClusterWorld> cluster;
  std::unique_ptr<ClusterCertificates> certificates;
  UnderlayInstallation underlay;  // platform filter, firewalls and NATs between nodes
  std::vector<Ptr<xfrm::XfrmStack>> stacks;
  std::vector<Ptr<ike::IkeDaemon>> daemons;
  std::vector<std::shared_ptr<sim::OvsMonitorIpsec>> monitors;  // their reconcile timers run
  std::map<std::string, sim::Endpoint> endpoints;
  WireOracle oracle;
  sim::TrafficManager traffic;
  std::map<int, DfDropTally> dfDrops;  // flow -> what the tunnels dropped of it
  std::vector<std::unique_ptr<FragNeededTap>> podPortTaps;
  std::map<int, DfDropTally> fragNeededSeen;  // flow -> ICMP read on its sender's port
  std::unique_ptr<LifecycleRun> lifecycle;
  ExternalRun external;
};

// ICMP "fragmentation needed" as the sending pod's port carries it, matched
// to the flow by the packet it quotes.
void TapSenderPorts(const Scenario& sc, World& w) {
  for (size_t i = 0; i < sc.flows.size(); ++i) {
    const sim::Endpoint& from = w.endpoints.at(sc.flows[i].from);
    if (from.hostNetwork) continue;
    const sim::Endpoint& to = w.endpoints.at(sc.flows[i].to);
    const uint32_t src = from.address.Get(), dst = to.address.Get();
    const uint16_t port = uint16_t(sc.flows[i].port);
    DfDropTally& tally = w.fragNeededSeen[int(i)];
    w.podPortTaps.push_back(std::make_unique<FragNeededTap>(
        from.node->GetDevice(1), [&tally, src, dst, port](const FragNeeded& f) {
          if (f.quotedSource != src || f.quotedDestination != dst) return;
          if (f.quotedProtocol != 1 && f.quotedDestinationPort != port) return;
          ++tally.icmpSent;
          tally.nextHopMtu = f.nextHopMtu;
        }));
  }
}

void BuildEndpoints(const Scenario& sc, World& w) {
  const auto names = sc.NodeNames();
  std::map<std::string, uint32_t> nodeIndex;
  for (uint32_t i = 0; i < names.size(); ++i) {
    nodeIndex[names[i]] = i;
    w.endpoints[names[i]] = w.cluster->HostEndpoint(i);
  }
  for (const PodSpec& pod : sc.pods) {
    const uint32_t n = nodeIndex.at(pod.node);
    w.endpoints[pod.name] =
        pod.hostNetwork ? w.cluster->HostEndpoint(n) : w.cluster->AddClusterPod(n);
  }
  for (uint32_t i = 0; i < w.cluster->ExternalCount(); ++i) {
    const sim::ExternalHost& host = w.cluster->External(i);
    w.endpoints[host.Name()] = sim::Endpoint{host.Node(), host.Ip(), 0, true};
  }
}

void StartFlows(const Scenario& sc, World& w) {
  for (size_t i = 0; i < sc.flows.size(); ++i) {
    const FlowSpec& f = sc.flows[i];
    const sim::Endpoint& from = w.endpoints.at(f.from);
    const sim::Endpoint& to = w.endpoints.at(f.to);
    sim::FlowPlan plan;
    plan.index = int(i);
    plan.protocol = ToSim(f.protocol);
    plan.from = from.node;
    plan.to = to.node;
    plan.toAddress = to.address;
    plan.port = uint16_t(f.port);
    plan.packets = uint32_t(f.packets);
    plan.size = uint32_t(f.size);
    plan.startSeconds = f.startSeconds;
    plan.intervalSeconds = f.intervalSeconds;
    plan.numbered = sc.lifecycle && f.protocol == Protocol::kUdp && f.size >= 20;
    w.traffic.Add(plan);
  }
}

sim::UnderlayFamily UnderlayFamilyOf(const ClusterSpec& cluster) {
  return cluster.ipFamily == IpFamily::kIpv6 ? sim::UnderlayFamily::kIpv6
                                             : sim::UnderlayFamily::kIpv4;
}

// One host's kernel and pluto at the end of the run; either may be absent
// (a lifecycle node whose pod never started, a node without IPsec).
NodeCounters CountersOf(const std::string& name, Ptr<xfrm::XfrmStack> stack,
                        Ptr<ike::IkeDaemon> daemon, const Address& underlayIp) {
  NodeCounters nc;
  nc.node = name;
  if (stack) {
    for (auto& [counter, value] : stack->Counters().NonZero()) nc.xfrmStat[counter] = value;
    nc.saCount = stack->States().Size();
    nc.policyCount = stack->Policies().Size();
  }
  if (daemon) {
    for (const ike::ConnectionStatus& c : daemon->TrafficStatus())
      nc.connectionsUp += c.state == ike::ConnectionState::kUp;
    std::istringstream lines(daemon->FormatTrafficStatus());
    for (std::string line; std::getline(lines, line);) nc.ipsecStatus.push_back(line);
    if (!daemon->Stopped()) nc.ikeSas = ReadIkeSas(*daemon);
  }
  if (stack)
    nc.childSas =
        ReadChildSas(*stack, daemon && !daemon->Stopped() ? &*daemon : nullptr, underlayIp);
  return nc;
}

// Pod-to-pod IPsec at the end: as the procedure left it, or as installed.
bool EndsFull(const Scenario& sc, const World& w) {
  if (w.lifecycle) return w.lifecycle->Lifecycle().Config().Intent() == sim::IpsecIntent::kFull;
  return sc.cluster.ipsecMode == IpsecMode::kFull;
}

RunReport Collect(const Scenario& sc, World& w, uint64_t seed, double seconds) {
  RunReport r;
  r.scenario = sc.name;
  r.scenarioFile = sc.file;
  r.seed = seed;
  r.version = sc.cluster.version;
  r.platform = sim::PlatformName(sc.cluster.platform);
  r.ipFamily = ToString(sc.cluster.ipFamily);
  r.ipsecMode = ToString(sc.cluster.ipsecMode);
  r.hostMtu = sc.cluster.hostMtu;
  r.clusterMtu = sc.cluster.clusterMtu;
  r.simulatedSeconds = seconds;
  r.mtuBudget = ComputeMtuBudget(sc.cluster, !sc.underlay.nats.empty(),
                                 UnderlayFamilyOf(sc.cluster), sc.underlay.pathMtu);
  r.tunnelDf = sim::ToString(sc.cluster.tunnelDf);
  r.linkLoss = sc.cluster.linkLoss;
  r.underlayPackets = w.oracle.ClassTotals();
  for (size_t i = 0; i < sc.flows.size(); ++i) {
    const FlowSpec& f = sc.flows[i];
    const sim::FlowTally& t = w.traffic.Tally(int(i));
    const FlowWireEvidence* e = w.oracle.Evidence(int(i));
    VerdictInput in{t.sent, t.delivered, e ? e->protectedPackets : 0, e ? e->clearPackets : 0};
    const Verdict v = Decide(in);
    FlowResult fr;
    fr.name = f.name;
    fr.from = f.from;
    fr.to = f.to;
    fr.protocol = ToString(f.protocol);
    fr.verdict = v.name;
    fr.explanation = v.explanation;
    fr.sent = t.sent;
    fr.delivered = t.delivered;
    fr.bytesSent = t.bytesSent;
    fr.bytesDelivered = t.bytesDelivered;
    fr.protectedPackets = in.protectedPackets;
    fr.clearPackets = in.clearPackets;
    fr.evidence = ToLinkEvidence(e);
    if (e) static_cast<FlowWireCost&>(fr.wire) = e->cost;
    if (auto d = w.dfDrops.find(int(i)); d != w.dfDrops.end()) fr.wire.dfDrops = d->second.drops;
    if (sc.lifecycle) {
      fr.timed = true;
      fr.lossWindows = LossWindows(t.sentAt, t.arrived, seconds - 0.5);
      if (e) fr.clearWindows = ClearWindows(e->timeline);
      const auto d = w.dfDrops.find(int(i));
      fr.mtuPhases = MtuPhases(e ? e->pieces : std::vector<std::pair<double, uint32_t>>{},
                               d != w.dfDrops.end() ? d->second.at : std::vector<double>{},
                               MixedMtuWindow(w.lifecycle->Lifecycle().MtuChanges()), seconds);
    }
    if (auto d = w.fragNeededSeen.find(int(i)); d != w.fragNeededSeen.end()) {
      fr.wire.icmpFragNeeded = d->second.icmpSent;
      fr.wire.nextHopMtu = d->second.nextHopMtu;
    }
    r.flows.push_back(fr);
  }
  for (const ExpectationSpec& x : sc.expect) r.expectations.push_back(Check(x, r));
  if (w.external.setup) r.externalFindings = ExternalFindingsOf(sc, *w.external.setup);
  for (uint32_t n = 0; n < w.cluster->NodeCount(); ++n) {
    Ptr<xfrm::XfrmStack> stack = n < w.stacks.size() ? w.stacks[n] : nullptr;
    Ptr<ike::IkeDaemon> daemon = n < w.daemons.size() ? w.daemons[n] : nullptr;
    if (auto it = w.external.nodeStacks.find(n); it != w.external.nodeStacks.end()) {
      stack = it->second;
      daemon = w.external.nodeDaemons.at(n);
    }
    NodeCounters nc = CountersOf(w.cluster->NodeName(n), stack, daemon, w.cluster->UnderlayIp(n));
    if (w.external.setup) {
      if (auto it = w.external.setup->nodes.find(nc.node); it != w.external.setup->nodes.end()) {
        nc.plutoLog = it->second.pool->importLog;
        const auto& log = it->second.Load(EndsFull(sc, w)).log;
        nc.plutoLog.insert(nc.plutoLog.end(), log.begin(), log.end());
      }
    }
    r.nodes.push_back(nc);
  }
  for (uint32_t i = 0; i < w.external.hostDaemons.size(); ++i) {
    const sim::ExternalHost& host = w.cluster->External(i);
    NodeCounters nc =
        CountersOf(host.Name(), w.external.hostStacks[i], w.external.hostDaemons[i], host.Ip());
    nc.external = true;
    nc.plutoLog = w.external.setup->hosts[i].load.log;
    r.nodes.push_back(nc);
  }
  return r;
}

// IPsec Full: certificates from the operator's CA, then every SA negotiated
// by the nodes' IKE daemons.
std::vector<ike::IkeIdentity> IssueIdentities(const Scenario& sc, uint64_t seed, World& w) {
  w.certificates = std::make_unique<ClusterCertificates>(seed);
  IssueClusterCertificates(sc.NodeNames(), seed, w.certificates.get());
  std::vector<ike::IkeIdentity> identities;
  for (const pki::NodeEnrollment& node : w.certificates->nodes) {
    identities.push_back(
        ike::IkeIdentity{node.IkeId(), *node.Cert(), node.Key(), w.certificates->signer.Bundle()});
  }
  return identities;
}

void InstallIpsec(const Scenario& sc, uint64_t seed, World& w) {
  const std::vector<ike::IkeIdentity> identities = IssueIdentities(sc, seed, w);
  sim::IkeMeshOptions options;
  options.seed = seed;
  options.epochSeconds = kInstallEpoch;
  options.behaviour.forceEncapsulation =
      sim::ForcesEncapsulation(sc.cluster.platform, sc.cluster.encapsulation);
  options.natKeepaliveSeconds = sc.cluster.natKeepaliveSeconds;
  sim::IkeMesh mesh = sim::PrepareIkeMesh(*w.cluster, identities, options);
  if (w.external.setup) AddHostConnections(*w.external.setup, *w.cluster, mesh.nodes);
  w.keys.Watch(mesh);
  sim::StartIkeMesh(mesh, options);
  w.stacks = mesh.stacks;
  w.daemons = mesh.daemons;
  w.monitors = mesh.monitors;
}

void WriteCertificates(const Scenario& sc, uint64_t seed, const std::string& dir) {
  ClusterCertificates certs(seed);
  IssueClusterCertificates(sc.NodeNames(), seed, &certs);
  std::string error;
  if (!pki::WriteCertFiles(dir, certs.signer, certs.nodes, &error)) {
    throw std::runtime_error("writing certificates: " + error);
  }
}

// The progress event: reports, then schedules itself again. It draws no
// random number and touches no model, so what the run measures is the same.
void ReportProgress(const RunOptions& options, const World& w, double duration, double flowsEnd) {
  RunProgress p;
  p.now = Simulator::Now().GetSeconds();
  p.events = Simulator::GetEventCount();
  if (w.lifecycle) {
    p.step = w.lifecycle->CurrentStep();
    p.end = w.lifecycle->ExpectedEnd(duration, flowsEnd);
  } else {
    p.end = flowsEnd;
  }
  options.onProgress(p);
  Simulator::Schedule(Seconds(options.progressInterval), [&options, &w, duration, flowsEnd] {
    ReportProgress(options, w, duration, flowsEnd);
  });
}

RunClock StartClock() {
  RunClock clock;
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  clock.startedUtc = text;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') clock.hostname = host;
  return clock;
}

sim::WorldConfig WorldConfigOf(const Scenario& sc, const RunOptions& options) {
  sim::WorldConfig config;
  config.nodeNames = sc.NodeNames();
  config.hostMtu = sc.cluster.hostMtu;
  config.clusterMtu = sc.cluster.clusterMtu;
  config.linkRate = sc.cluster.linkRate;
  config.linkDelaySeconds = sc.cluster.linkDelaySeconds;
  config.gatewayMode = sc.cluster.gatewayMode;
  config.tunnelDf = sc.cluster.tunnelDf;
  config.linkLoss = sc.cluster.linkLoss;
  config.checksums = options.checksums;
  config.family = UnderlayFamilyOf(sc.cluster);
  config.network = sc.cluster.network;
  config.ovnTunnelPmtud =
      sim::ReleaseFor(*sim::OcpVersion::Parse(sc.cluster.version), sim::DaemonFixes::kStock)
          .ovnTunnelPmtud;
  return config;
}

// The hosts and middleboxes on the underlay, then whatever keys the nodes'
// and external hosts' IPsec: a lifecycle's control plane, or the settled
// mesh of IPsec Full.
void InstallNetwork(const Scenario& sc, uint64_t seed, World& w) {
  if (sc.external) {
    w.external.setup = sc.externalSetup ? sc.externalSetup : PrepareExternal(sc);
    AddExternalHosts(*w.external.setup, *w.cluster);
  }
  w.underlay = InstallUnderlay(sc, *w.cluster);
  if (sc.lifecycle) {
    const std::vector<ike::IkeIdentity> identities = IssueIdentities(sc, seed, w);
    w.lifecycle = std::make_unique<LifecycleRun>(sc, seed, *w.cluster, identities, *w.certificates,
                                                 w.external.setup.get());
    w.stacks = w.lifecycle->Mesh().stacks;
    if (w.external.setup) FollowHostBundleMtu(*w.external.setup, *w.cluster, w.stacks);
    w.keys.Watch(w.lifecycle->Mesh());
    w.oracle.RecordTimelines();
  } else if (sc.cluster.ipsecMode == IpsecMode::kFull) {
    InstallIpsec(sc, seed, w);
  }
  if (w.external.setup)
    StartExternalPlutos(w.external, *w.cluster, w.keys, seed, kInstallEpoch, !w.stacks.empty());
  if (w.lifecycle && w.external.setup) {
    std::vector<sim::ExternalPairSampler::Host> hosts;
    for (uint32_t i = 0; i < w.external.hostStacks.size(); ++i)
      hosts.push_back(
          {w.cluster->External(i).Name(), w.cluster->External(i).Ip(), w.external.hostStacks[i]});
    w.lifecycle->WatchExternalHosts(std::move(hosts));
  }
}

// Every underlay link, in both directions: the host's NIC and its switch
// port; and each node's tunnel drops, counted per flow.
void TapUnderlay(World& w) {
  auto tap = [&w](Ptr<NetDevice> nic, Ptr<NetDevice> port, const std::string& link) {
    w.oracle.Tap(nic, link, WireOracle::TapRole::kEntersUnderlay);
    w.oracle.Tap(port, link, WireOracle::TapRole::kForwards);
  };
  for (uint32_t i = 0; i < w.cluster->NodeCount(); ++i)
    tap(w.cluster->Nic(i), w.cluster->SwitchPort(i), w.cluster->NodeName(i) + "/eth0");
  for (uint32_t i = 0; i < w.cluster->ExternalCount(); ++i) {
    const sim::ExternalHost& host = w.cluster->External(i);
    tap(host.Nic(), host.SwitchPort(), host.Name() + "/eth0");
  }
  for (uint32_t i = 0; i < w.cluster->NodeCount(); ++i) {
    w.cluster->Ovn(i).SetDfDropCallback([&tally = w.dfDrops](Ptr<const Packet> inner, uint16_t) {
      std::vector<uint8_t> bytes(inner->GetSize());
      inner->CopyData(bytes.data(), bytes.size());
      sim::FindFlowMarkers(bytes.data(), bytes.size(), [&](int flow) {
        ++tally[flow].drops;
        tally[flow].at.push_back(Simulator::Now().GetSeconds());
      });
    });
  }
}

// Runs the simulation to its end; returns the simulated seconds the report
// covers.
double Simulate(const Scenario& sc, const RunOptions& options, World& w) {
  double seconds =
      sc.durationSeconds > 0 ? sc.durationSeconds : w.traffic.LastSendSeconds() + kDrainSeconds;
  if (w.lifecycle) {
    w.lifecycle->Start(sc.durationSeconds, seconds);
  } else {
    Simulator::Stop(Seconds(seconds));
  }
  if (options.onProgress) {
    Simulator::Schedule(Seconds(0), [&options, &w, duration = sc.durationSeconds, seconds] {
      ReportProgress(options, w, duration, seconds);
    });
  }
  Simulator::Run();
  if (options.onProgress) {
    RunProgress done;
    done.now = done.end = Simulator::Now().GetSeconds();
    done.events = Simulator::GetEventCount();
    done.finished = true;
    options.onProgress(done);
  }
  if (!w.lifecycle) return seconds;
  w.daemons.clear();
  for (const auto& node : w.lifecycle->Mesh().nodes) w.daemons.push_back(node->Daemon());
  return Simulator::Now().GetSeconds();
}

// What only a lifecycle run reports: its own section and expectations, and
// the cluster as the procedure left it in the top-level fields.
void AddLifecycle(const Scenario& sc, World& w, RunReport& report) {
  report.lifecycle = w.lifecycle->Collect(w.oracle);
  for (ExpectationResult& e : w.lifecycle->Check(*report.lifecycle))
    report.expectations.push_back(e);
  const ClusterSpec end = w.lifecycle->EndCluster();
  report.version = end.version;
  report.ipsecMode = ToString(end.ipsecMode);
  report.mtuBudget =
      ComputeMtuBudget(end, !sc.underlay.nats.empty(), UnderlayFamilyOf(end), sc.underlay.pathMtu);
}

}  // namespace

RunReport RunScenario(const Scenario& sc, const RunOptions& options) {
  const RunClock clock = StartClock();
  const auto wallStart = std::chrono::steady_clock::now();
  const uint64_t seed = options.seed.value_or(sc.seed);
  RngSeedManager::SetSeed(uint32_t(seed % 4294967295u) + 1);
  RngSeedManager::SetRun(1);
  // Every header on the wire carries a correct checksum, filled once where
  // Linux or its NIC fills it (xfrm::ChecksumOffload, OvnNode::SetChecksums).
  // ns-3's own checksums stay off, and with them its receivers' verification
  // and the CSMA FCS: offloaded to NICs on a wire that corrupts nothing.
  GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
  Names::Clear();

  auto w = std::make_unique<World>();
  // The oracle reads ESP the way Wireshark does with keys/esp_sa.
  w->keys.EspSas().OnNewSa([&classifier = w->oracle.Classifier()](const xfrm::EspSaRecord& sa) {
    classifier.AddKey(sa.spi, sa.keymat);
  });
  w->cluster = std::make_unique<sim::ClusterWorld>(WorldConfigOf(sc, options));
  InstallNetwork(sc, seed, *w);
  BuildEndpoints(sc, *w);
  TapUnderlay(*w);
  TapSenderPorts(sc, *w);
  StartFlows(sc, *w);
  // Every node is built: the run's random variables get the run's streams.
  w->cluster->AssignStreams(0);
  if (options.pcap) {
    std::filesystem::create_directories(options.outDir + "/pcap");
    w->cluster->EnablePcap(options.outDir + "/pcap");
  }
  const double seconds = Simulate(sc, options, *w);
  RunReport report = Collect(sc, *w, seed, seconds);
  // The top-level fields describe the end; the install is kept beside them.
  report.install = {report.version, report.ipsecMode, report.mtuBudget};
  if (w->lifecycle) AddLifecycle(sc, *w, report);
  report.keying =
      sc.lifecycle || sc.cluster.ipsecMode == IpsecMode::kFull || sc.external ? "ike" : "none";
  // ARCHITECTURE rule 3: a run whose IKE used modelled public-key crypto says so.
  if (sc.lifecycle && sc.lifecycle->modelledCrypto) report.cryptoMode = "real ESP, modelled IKE";
  report.underlayFilters = w->underlay.Report();
  report.preflight = RunPreflight(sc);
  LinkPreflight(sc, report);
  for (PreflightFinding& f : DocumentationFindings(sc)) report.preflight.push_back(std::move(f));
  if (options.pcap) w->keys.Write(options.outDir + "/keys");
  if (options.pcap || options.certs) {
    WriteCertificates(sc, seed, options.outDir);
    // A run that lived through time: the certificates as they are at its
    // end, in DIR/end/certs/, beside the install-time ones.
    if (w->lifecycle && !report.lifecycle->certificates.empty()) {
      std::string error;
      if (!pki::WriteCertFiles(options.outDir + "/end", w->certificates->signer,
                               w->certificates->nodes, &error))
        throw std::runtime_error("writing certificates: " + error);
    }
  }
  Simulator::Destroy();
  Names::Clear();
  report.clock = clock;
  report.clock.wallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
  return report;
}

}  // namespace ipsecsim::harness
