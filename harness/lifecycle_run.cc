#include "lifecycle_run.h"

#include <ns3/simulator.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "chain_validation.h"
#include "cluster_certificates.h"
#include "lifecycle_causes.h"
#include "ovn_connection_name.h"
#include "verdict.h"
#include "x509_time.h"

namespace ipsecsim::harness {

using namespace ns3;

namespace {

constexpr double kHardStopSeconds = 1000 * 3600.0;
// In quiet time (advance steps) the pair sampler reads the kernels hourly.
constexpr double kQuietSampleSeconds = 3600;

// A bound on how long the procedure's advance steps take together.
double AdvanceSeconds(const LifecycleSpec& l) {
  double total = 0;
  for (const ProcedureStepSpec& s : l.steps) {
    if (s.kind != sim::LifecycleStep::Kind::kAdvance) continue;
    total += s.advanceTo ? double(*s.advanceTo - kInstallEpoch) : s.advanceSeconds;
  }
  return total;
}

sim::LifecycleConfig ConfigOf(const Scenario& sc, uint64_t seed) {
  const LifecycleSpec& l = *sc.lifecycle;
  sim::LifecycleConfig c;
  c.platform = sc.cluster.platform;
  c.fixes = l.fixedDaemons ? sim::DaemonFixes::kFixed : sim::DaemonFixes::kStock;
  if (!l.libreswan.empty()) c.libreswan = *sim::ParseLibreswan(l.libreswan);
  c.seed = seed;
  c.epochSeconds = kInstallEpoch;
  c.modelledCrypto = l.modelledCrypto;
  c.timing = l.timing;
  uint32_t index = 0;
  for (const PoolSpec& pool : sc.cluster.pools) {
    std::vector<uint32_t> nodes;
    for (int i = 0; i < pool.nodes; ++i) nodes.push_back(index++);
    c.pools.push_back(nodes);
    c.poolNames.push_back(pool.name);
    c.poolMaxUnavailable.push_back(pool.maxUnavailable);
  }
  return c;
}

// The user's MachineConfig of each pool, with what each node's host pluto
// loads from it (harness/external read the files).
void AddUserConfigs(const Scenario& sc, const ExternalSetup& setup, sim::LifecycleConfig& c) {
  const std::vector<std::string> names = sc.NodeNames();
  c.userConfigs.resize(c.pools.size());
  for (size_t p = 0; p < c.pools.size(); ++p) {
    const ExternalSetup::Pool* pool = setup.PoolFor(c.poolNames[p]);
    if (!pool) continue;
    sim::UserMachineConfig u;
    u.name = pool->name;
    u.libreswan = pool->libreswanInstalled;
    u.ipsecService = pool->ipsecServiceEnabled;
    u.plutoRefused = !pool->confError.empty();
    u.atInstall = !pool->appliedAtStep;
    for (uint32_t node : c.pools[p]) {
      auto it = setup.nodes.find(names[node]);
      if (it == setup.nodes.end()) continue;
      u.withOvn[node] = it->second.withOvn.connections;
      u.alone[node] = it->second.alone.connections;
      u.ovnDefaults = it->second.withOvn.ovnDefaults;
    }
    c.userConfigs[p] = std::move(u);
  }
}

}  // namespace

LifecycleRun::LifecycleRun(const Scenario& sc, uint64_t seed, sim::ClusterWorld& world,
                           const std::vector<ike::IkeIdentity>& identities,
                           ClusterCertificates& certificates, const ExternalSetup* external)
    : sc_(sc),
      world_(world),
      certificates_(certificates.signer, certificates.nodes, certificates.log, kInstallEpoch),
      external_(external) {
  sim::IkeMeshOptions options;
  options.seed = seed;
  options.epochSeconds = kInstallEpoch;
  options.natKeepaliveSeconds = sc.cluster.natKeepaliveSeconds;
  mesh_ = sim::PrepareIkeMesh(world, identities, options);
  sim::NetworkOperatorConfig config(*sim::OcpVersion::Parse(sc.cluster.version),
                                    nlohmann::json::parse(sc.ipsecConfigJson));
  config.SetInstalledMtu(sc.cluster.clusterMtu, sc.cluster.hostMtu);
  sim::LifecycleConfig lifecycle = ConfigOf(sc, seed);
  if (external) AddUserConfigs(sc, *external, lifecycle);
  lifecycle_ = std::make_unique<sim::ClusterLifecycle>(world, mesh_, std::move(config),
                                                       std::move(lifecycle));
  lifecycle_->SetCertificates(&certificates_);
  sampler_ = std::make_unique<sim::PairStateSampler>(
      world, mesh_, [this](uint32_t node) { return lifecycle_->NodeUp(node); });
  sampler_->SetQuietTime(Quiet(), kQuietSampleSeconds);
  const LifecycleSpec& l = *sc.lifecycle;
  if (l.probeIntervalSeconds > 0) {
    probes_ = std::make_unique<sim::ProbeMesh>(world, int(sc.flows.size()), l.probeIntervalSeconds,
                                               uint32_t(l.probeSize));
    probes_->SetQuietTime(Quiet());
  }
}

// Each node's certificate as it is at the end, checked as a peer would.
void LifecycleRun::CollectCertificates(LifecycleReport& r) const {
  const int64_t now = certificates_.UnixNow();
  r.endDate = pki::FormatIso8601(now);
  const pki::OperatorSigner& signer = certificates_.Signer();
  // Generations are told apart by key identifier: they share a name.
  auto issuerOf = [&signer](const pki::Certificate& cert) {
    for (const auto& g : signer.Generations())
      if (g.cert.extensions.subjectKeyId == cert.extensions.authorityKeyId) return g.generation;
    return 0;
  };
  std::vector<pki::Certificate> bundle;
  for (const auto& g : signer.Generations()) bundle.push_back(g.cert);
  for (uint32_t n = 0; n < certificates_.Nodes().size(); ++n) {
    const pki::NodeEnrollment& node = certificates_.Nodes()[n];
    const pki::Certificate& cert = *node.Cert();
    const pki::Certificate& ca = certificates_.TrustedCa(n);
    CertificateLine c;
    c.node = node.NodeName();
    c.serial = cert.SerialHex();
    c.notBefore = pki::FormatIso8601(cert.notBefore);
    c.notAfter = pki::FormatIso8601(cert.notAfter);
    c.issuer = issuerOf(cert);
    c.trusts = signer.GenerationOf(ca);
    c.validAtEnd = pki::ValidateChain(cert, {}, bundle, now, "").Ok();
    r.certificates.push_back(std::move(c));
  }
}

sim::QuietUntil LifecycleRun::Quiet() const {
  return [this] { return lifecycle_->QuietUntil(); };
}

void LifecycleRun::Start(double duration, double flowsEnd) {
  const LifecycleSpec& l = *sc_.lifecycle;
  lifecycle_->Install(0.1);
  std::vector<sim::LifecycleStep> steps;
  for (size_t i = 0; i < l.steps.size(); ++i) {
    steps.push_back(l.steps[i]);
    // oc apply: each MachineConfig goes to the pool its role label names.
    if (!external_) continue;
    for (const ExternalSetup::Pool& pool : external_->pools)
      if (pool.appliedAtStep == i) steps.back().names.push_back(pool.role);
  }
  lifecycle_->RunProcedure(steps, l.startSeconds);
  sampler_->Start(l.sampleIntervalSeconds, l.sampleIntervalSeconds);
  if (externalSampler_) {
    externalSampler_->SetQuietTime(Quiet(), kQuietSampleSeconds);
    externalSampler_->Start(l.sampleIntervalSeconds, l.sampleIntervalSeconds);
  }
  if (probes_) probes_->Start(1.0);
  if (duration > 0) {
    Simulator::Stop(Seconds(duration));
  } else {
    Simulator::Stop(Seconds(kHardStopSeconds + AdvanceSeconds(l)));
    WatchForEnd(flowsEnd);
  }
}

ClusterSpec LifecycleRun::EndCluster() const {
  ClusterSpec end = sc_.cluster;
  const sim::NetworkOperatorConfig& config = lifecycle_->Config();
  end.version = config.Version().ToString();
  switch (config.Intent()) {
    case sim::IpsecIntent::kDisabled:
      end.ipsecMode = IpsecMode::kDisabled;
      break;
    case sim::IpsecIntent::kExternal:
      end.ipsecMode = IpsecMode::kExternal;
      break;
    case sim::IpsecIntent::kFull:
      end.ipsecMode = IpsecMode::kFull;
      break;
  }
  end.encapsulation = config.ForcesEncapsulation() ? Encapsulation::kAlways : Encapsulation::kAuto;
  end.clusterMtu = config.RenderedMtu().RouteMtu();
  end.hostMtu = config.RenderedMtu().machineMtu;
  return end;
}

double LifecycleRun::ExpectedEnd(double duration, double flowsEnd) const {
  if (duration > 0) return duration;
  const auto finished = lifecycle_->FinishedAt();
  return finished ? std::max(*finished + sc_.lifecycle->settleSeconds, flowsEnd) : 0;
}

void LifecycleRun::WatchForEnd(double flowsEnd) {
  const auto finished = lifecycle_->FinishedAt();
  const double now = Simulator::Now().GetSeconds();
  if (finished && now >= *finished + sc_.lifecycle->settleSeconds && now >= flowsEnd) {
    Simulator::Stop();
    return;
  }
  Simulator::Schedule(Seconds(sim::NextObservation(Quiet(), 1, 0)),
                      [this, flowsEnd] { WatchForEnd(flowsEnd); });
}

std::string LifecycleRun::WindowVerdict(const sim::ProbeMesh::Pair& pair, double from,
                                        double until) const {
  VerdictInput in;
  for (size_t i = 0; i < pair.sentAt.size(); ++i) {
    if (pair.sentAt[i] < from || pair.sentAt[i] >= until) continue;
    ++in.sent;
    in.delivered += pair.delivered[i];
  }
  if (const FlowWireEvidence* e = oracle_ ? oracle_->Evidence(pair.marker) : nullptr) {
    for (const auto& [t, clear] : e->timeline) {
      if (t < from || t >= until) continue;
      ++(clear ? in.clearPackets : in.protectedPackets);
    }
  }
  return Decide(in).name;
}

ProbePairResult LifecycleRun::ProbeResult(const sim::ProbeMesh::Pair& pair,
                                          const WireOracle& oracle) const {
  ProbePairResult r;
  r.from = world_.NodeName(pair.from);
  r.to = world_.NodeName(pair.to);
  r.sent = pair.sentAt.size();
  r.delivered = size_t(std::count(pair.delivered.begin(), pair.delivered.end(), true));
  // The last probes may still be on their way when the run stops.
  const double cut = Simulator::Now().GetSeconds() - 0.5;
  r.lossWindows = LossWindows(pair.sentAt, pair.delivered, cut);
  size_t tail = 0;
  for (size_t i = pair.sentAt.size(); i-- > 0 && tail < 3;) {
    if (pair.sentAt[i] >= cut) continue;
    if (pair.delivered[i]) break;
    ++tail;
  }
  r.losingAtEnd = tail >= 3;
  if (const FlowWireEvidence* e = oracle.Evidence(pair.marker))
    r.clearWindows = ClearWindows(e->timeline);
  return r;
}

void LifecycleRun::WatchExternalHosts(std::vector<sim::ExternalPairSampler::Host> hosts) {
  if (hosts.empty()) return;
  externalSampler_ = std::make_unique<sim::ExternalPairSampler>(
      world_, mesh_.stacks, std::move(hosts),
      [this](uint32_t node) { return lifecycle_->NodeUp(node); });
}

LifecycleReport LifecycleRun::Collect(const WireOracle& oracle) {
  oracle_ = &oracle;
  sampler_->Finish();
  LifecycleReport r;
  if (externalSampler_) {
    externalSampler_->Finish();
    for (const sim::ExternalPairSampler::History& h : externalSampler_->Pairs()) {
      PairTimeline p;
      p.a = world_.NodeName(h.node);
      p.b = externalSampler_->Hosts()[h.host].name;
      p.everBlackHoled = h.everBlackHoled;
      for (const sim::PairInterval& i : h.intervals)
        p.intervals.push_back({i.from, i.to, sim::ToString(i.state)});
      r.externalPairsUp += !h.intervals.empty() && h.intervals.back().state == sim::PairState::kUp;
      r.externalPairs.push_back(std::move(p));
    }
  }
  const LifecycleSpec& l = *sc_.lifecycle;
  const auto& config = lifecycle_->Config();
  r.installedVersion = sc_.cluster.version;
  r.finalVersion = config.Version().ToString();
  r.daemonFixes = l.fixedDaemons ? "fixed" : "stock";
  r.libreswan = l.libreswan;
  r.warnings = l.warnings;
  const nlohmann::json::json_pointer ipsec("/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig");
  r.ipsecConfig = config.Object().contains(ipsec) ? config.Object().at(ipsec).dump() : "null";
  r.nbGlobalIpsec = lifecycle_->NbGlobalIpsec();
  r.nbGlobalIpsecEncapsulation = lifecycle_->Rendered().nbGlobalIpsecEncapsulation;
  r.daemonSets = lifecycle_->DaemonSets();
  r.machineConfigs = lifecycle_->Rendered().machineConfigs;
  for (const sim::NodeMtuChange& c : lifecycle_->MtuChanges()) {
    r.mtuChanges.push_back({c.seconds, world_.NodeName(c.node), c.before.RouteMtu(),
                            c.after.RouteMtu(), c.after.mtu, c.after.routableMtu,
                            c.after.machineMtu});
  }
  std::set<int> podMtus;
  for (uint32_t n = 0; n < world_.NodeCount(); ++n)
    podMtus.insert(lifecycle_->NodeMtu(n).RouteMtu());
  for (int mtu : podMtus) r.podMtus += (r.podMtus.empty() ? "" : ",") + std::to_string(mtu);
  r.procedureStart = l.startSeconds;
  r.procedureFinished = lifecycle_->FinishedAt().value_or(-1);
  r.rolloutSeconds = lifecycle_->RolloutSeconds();
  r.reboots = lifecycle_->Reboots();
  r.podStarts = lifecycle_->PodStarts();
  r.pools = lifecycle_->PoolSnapshots();
  for (const auto& node : mesh_.nodes)
    for (const auto& daemon : node->Daemons())
      r.certificateRejections += daemon->Counters().certificatesRefused;
  r.certificateRenewals = certificates_.Renewals();
  r.caGenerations = certificates_.Signer().Current().generation;
  if (AdvanceSeconds(l) > 0) CollectCertificates(r);
  for (const auto& e : lifecycle_->Log()) r.events.push_back({e.seconds, e.text});
  for (const sim::PairHistory& h : sampler_->Pairs()) {
    PairTimeline p;
    p.a = world_.NodeName(h.a);
    p.b = world_.NodeName(h.b);
    p.everBlackHoled = h.everBlackHoled;
    for (const sim::PairInterval& i : h.intervals) {
      p.intervals.push_back({i.from, i.to, sim::ToString(i.state)});
      const double span = i.to - i.from;
      if (i.state == sim::PairState::kBlackHoled) r.blackHoledPairSeconds += span;
      if (i.state == sim::PairState::kClear) r.clearPairSeconds += span;
      if (i.state == sim::PairState::kIncomplete) r.incompletePairSeconds += span;
    }
    p.reportedUp = true;
    for (auto [self, peer] : {std::pair{h.a, h.b}, std::pair{h.b, h.a}}) {
      const auto daemon = mesh_.nodes[self]->Daemon();
      for (sim::OvnDirection dir : {sim::OvnDirection::kOut, sim::OvnDirection::kIn}) {
        const std::string name =
            sim::OvnConnectionName(world_.NodeName(self), world_.NodeName(peer), dir);
        const bool up =
            mesh_.nodes[self]->Running() && daemon->Status(name).state == ike::ConnectionState::kUp;
        p.reportedUp &= up;
      }
    }
    const sim::PairState last =
        h.intervals.empty() ? sim::PairState::kClear : h.intervals.back().state;
    r.pairsUp += last == sim::PairState::kUp;
    r.blackHoledPairs += last == sim::PairState::kBlackHoled;
    r.clearPairs += last == sim::PairState::kClear;
    if (last != sim::PairState::kUp && last != sim::PairState::kNodeDown) {
      const PairCause cause = ExplainPair(world_, mesh_, *sampler_, lifecycle_->Log(),
                                          lifecycle_->NbGlobalIpsec(), h.a, h.b);
      p.causeKind = cause.kind;
      p.cause = cause.chain;
    }
    r.brokenPairs += last != sim::PairState::kUp && p.reportedUp;
    r.pairsEverBlackHoled += h.everBlackHoled;
    r.pairs.push_back(p);
  }
  if (probes_) {
    r.probeInterval = probes_->IntervalSeconds();
    for (const sim::ProbeMesh::Pair& pair : probes_->Pairs()) {
      ProbePairResult p = ProbeResult(pair, oracle);
      for (const TimeWindow& w : p.lossWindows) {
        r.probesLost += w.packets;
        r.longestLossWindow = std::max(r.longestLossWindow, w.to - w.from + r.probeInterval);
      }
      r.probePairsLosing += p.losingAtEnd;
      r.probes.push_back(p);
    }
    r.disruptionPairSeconds = double(r.probesLost) * r.probeInterval;
  }
  for (const auto& stack : mesh_.stacks) {
    r.saCount += stack->States().Size();
    r.policyCount += stack->Policies().Size();
  }
  return r;
}

std::string LifecycleRun::MetricValue(const std::string& metric, const LifecycleReport& r) const {
  auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
  if (metric == "broken_pairs") return std::to_string(r.brokenPairs);
  if (metric == "black_holed_pairs") return std::to_string(r.blackHoledPairs);
  if (metric == "clear_pairs") return std::to_string(r.clearPairs);
  if (metric == "pairs_up") return std::to_string(r.pairsUp);
  if (metric == "probe_pairs_losing") return std::to_string(r.probePairsLosing);
  if (metric == "nb_global_ipsec") return flag(r.nbGlobalIpsec);
  if (metric == "nb_global_ipsec_encapsulation") return flag(r.nbGlobalIpsecEncapsulation);
  if (metric == "sa_count") return std::to_string(r.saCount);
  if (metric == "policy_count") return std::to_string(r.policyCount);
  if (metric == "reboots") return std::to_string(r.reboots);
  if (metric == "version") return r.finalVersion;
  if (metric == "pod_mtu") return r.podMtus;
  if (metric == "mtu_changes") return std::to_string(r.mtuChanges.size());
  if (metric == "certificate_renewals") return std::to_string(r.certificateRenewals);
  if (metric == "ca_generations") return std::to_string(r.caGenerations);
  if (metric == "certificate_rejections") return std::to_string(r.certificateRejections);
  std::string list;
  for (const std::string& ds : r.daemonSets) list += (list.empty() ? "" : ",") + ds;
  return list;  // daemonsets
}

namespace {

std::string SecondsText(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

// A wait_pools step is the documentation's `oc get mcp` check: it passes
// when its pools were Updated before its timeout.
std::vector<ExpectationResult> CheckWaits(const LifecycleSpec& spec,
                                          const sim::ClusterLifecycle& lifecycle) {
  std::vector<ExpectationResult> out;
  const std::vector<ProcedureStepSpec>& steps = spec.steps;
  const std::vector<sim::PoolWait>& waits = lifecycle.PoolWaits();
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].kind != sim::LifecycleStep::Kind::kWaitPools) continue;
    const sim::LifecycleStep& step = steps[i];
    ExpectationResult er;
    er.line = steps[i].line;
    er.flow = "step " + std::to_string(i + 1) + ": " + step.Describe();
    char text[160];
    std::snprintf(text, sizeof text, "Updated=True within %gs", step.timeoutSeconds);
    er.expected = text;
    auto w = std::find_if(waits.begin(), waits.end(),
                          [i](const sim::PoolWait& x) { return x.step == i; });
    if (w == waits.end()) {
      er.actual = "never ran: the procedure stopped before it";
    } else if (w->timedOut) {
      er.actual = "timed out after " + SecondsText(w->ended - w->started) + ":";
      for (const sim::PoolStatus& p : w->pools) {
        if (p.updated) continue;
        er.actual += " " + p.name + " Updated=False (UPDATEDMACHINECOUNT " +
                     std::to_string(p.updatedMachineCount) + "/" + std::to_string(p.machineCount) +
                     ")";
      }
    } else {
      er.pass = true;
      er.actual = "Updated=True after " + SecondsText(w->ended - w->started);
    }
    out.push_back(er);
  }
  return out;
}

}  // namespace

std::vector<ExpectationResult> LifecycleRun::Check(const LifecycleReport& report) const {
  std::vector<ExpectationResult> out = CheckWaits(*sc_.lifecycle, *lifecycle_);
  for (const LifecycleExpectationSpec& x : sc_.expectLifecycle) {
    ExpectationResult er;
    er.line = x.line;
    if (!x.metric.empty()) {
      er.flow = "metric " + x.metric;
      er.actual = MetricValue(x.metric, report);
      if (x.atLeast) {
        er.expected = "at least " + std::to_string(*x.atLeast);
        er.pass = std::stoll(er.actual) >= *x.atLeast;
      } else {
        er.expected = x.equals;
        er.pass = er.actual == x.equals;
      }
    } else {
      char window[64];
      std::snprintf(window, sizeof window, " [%gs, %gs)", x.fromSeconds, x.untilSeconds);
      er.flow = "probes " + x.probes + window;
      er.expected = x.verdict;
      er.pass = probes_ != nullptr;
      std::string wrong;
      for (const sim::ProbeMesh::Pair& pair :
           probes_ ? probes_->Pairs() : std::vector<sim::ProbeMesh::Pair>{}) {
        const std::string name = world_.NodeName(pair.from) + ">" + world_.NodeName(pair.to);
        if (x.probes != "all" && x.probes != name) continue;
        const std::string verdict = WindowVerdict(pair, x.fromSeconds, x.untilSeconds);
        if (verdict != x.verdict) {
          er.pass = false;
          if (wrong.size() < 200) wrong += (wrong.empty() ? "" : ", ") + name + " " + verdict;
        }
      }
      er.actual = er.pass ? x.verdict : wrong;
    }
    out.push_back(er);
  }
  return out;
}

}  // namespace ipsecsim::harness
