#include "lifecycle_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

#include "pool_table.h"
#include "report_text.h"

namespace ipsecsim::harness {

using Json = nlohmann::ordered_json;

namespace {

// Runs of consecutive items for which `pick` holds, as time windows.
template <typename Pick>
std::vector<TimeWindow> Runs(const std::vector<double>& times, Pick pick) {
  std::vector<TimeWindow> out;
  bool open = false;
  for (size_t i = 0; i < times.size(); ++i) {
    if (!pick(i)) {
      open = false;
      continue;
    }
    if (!open) out.push_back(TimeWindow{times[i], times[i], 0});
    open = true;
    out.back().to = times[i];
    ++out.back().packets;
  }
  return out;
}

}  // namespace

std::vector<TimeWindow> LossWindows(const std::vector<double>& sentAt,
                                    const std::vector<bool>& arrived, double cut) {
  return Runs(sentAt, [&](size_t i) { return !arrived[i] && sentAt[i] < cut; });
}

std::vector<TimeWindow> ClearWindows(const std::vector<std::pair<double, bool>>& timeline) {
  std::vector<double> times;
  for (const auto& [t, clear] : timeline) times.push_back(t);
  return Runs(times, [&](size_t i) { return timeline[i].second; });
}

Json WindowsJson(const std::vector<TimeWindow>& windows) {
  Json out = Json::array();
  for (const TimeWindow& w : windows)
    out.push_back({{"from", w.from}, {"to", w.to}, {"packets", w.packets}});
  return out;
}

namespace {
Json MtuChangesJson(const std::vector<MtuChangeLine>& changes) {
  Json out = Json::array();
  for (const MtuChangeLine& c : changes) {
    out.push_back({{"at", c.seconds},
                   {"node", c.node},
                   {"pod_mtu_before", c.podMtuBefore},
                   {"pod_mtu", c.podMtu},
                   {"mtu", c.interfaceMtu},
                   {"routable_mtu", c.routableMtu},
                   {"machine_mtu", c.machineMtu}});
  }
  return out;
}
}  // namespace

Json LifecycleJson(const LifecycleReport& r) {
  Json events = Json::array();
  for (const auto& e : r.events) events.push_back({{"at", e.seconds}, {"event", e.text}});
  Json pairs = Json::array();
  for (const PairTimeline& p : r.pairs) {
    Json intervals = Json::array();
    for (const StateInterval& i : p.intervals)
      intervals.push_back({{"from", i.from}, {"to", i.to}, {"state", i.state}});
    pairs.push_back({{"a", p.a},
                     {"b", p.b},
                     {"final", p.intervals.empty() ? "" : p.intervals.back().state},
                     {"reported_up", p.reportedUp},
                     {"ever_black_holed", p.everBlackHoled},
                     {"cause_kind", p.causeKind},
                     {"cause", p.cause},
                     {"intervals", intervals}});
  }
  Json externalPairs = Json::array();
  for (const PairTimeline& p : r.externalPairs) {
    Json intervals = Json::array();
    for (const StateInterval& i : p.intervals)
      intervals.push_back({{"from", i.from}, {"to", i.to}, {"state", i.state}});
    externalPairs.push_back({{"node", p.a},
                             {"host", p.b},
                             {"final", p.intervals.empty() ? "" : p.intervals.back().state},
                             {"ever_black_holed", p.everBlackHoled},
                             {"intervals", intervals}});
  }
  Json probes = Json::array();
  for (const ProbePairResult& p : r.probes) {
    probes.push_back({{"from", p.from},
                      {"to", p.to},
                      {"sent", p.sent},
                      {"delivered", p.delivered},
                      {"losing_at_end", p.losingAtEnd},
                      {"loss_windows", WindowsJson(p.lossWindows)},
                      {"clear_windows", WindowsJson(p.clearWindows)}});
  }
  Json out = {
      {"installed_version", r.installedVersion},
      {"final_version", r.finalVersion},
      {"daemon_fixes", r.daemonFixes},
      {"libreswan", r.libreswan.empty() ? "per release" : r.libreswan},
      {"warnings", r.warnings},
      {"ipsec_config", r.ipsecConfig},
      {"nb_global",
       {{"ipsec", r.nbGlobalIpsec}, {"options:ipsec_encapsulation", r.nbGlobalIpsecEncapsulation}}},
      {"daemonsets", r.daemonSets},
      {"machine_configs", r.machineConfigs},
      {"summary",
       {{"pairs", r.pairs.size()},
        {"pairs_up", r.pairsUp},
        {"black_holed_pairs", r.blackHoledPairs},
        {"clear_pairs", r.clearPairs},
        {"broken_pairs", r.brokenPairs},
        {"pairs_ever_black_holed", r.pairsEverBlackHoled},
        {"black_holed_pair_seconds", r.blackHoledPairSeconds},
        {"clear_pair_seconds", r.clearPairSeconds},
        {"incomplete_pair_seconds", r.incompletePairSeconds},
        {"probes_lost", r.probesLost},
        {"disruption_pair_seconds", r.disruptionPairSeconds},
        {"longest_loss_window", r.longestLossWindow},
        {"probe_pairs_losing", r.probePairsLosing},
        {"procedure_start", r.procedureStart},
        {"procedure_finished", r.procedureFinished},
        {"rollout_seconds", r.rolloutSeconds},
        {"reboots", r.reboots},
        {"pod_mtu", r.podMtus},
        {"mtu_changes", r.mtuChanges.size()},
        {"ipsec_pod_starts", r.podStarts},
        {"sa_count", r.saCount},
        {"policy_count", r.policyCount}}},
      {"events", events},
      {"mtu_changes", MtuChangesJson(r.mtuChanges)},
      {"pools", PoolSnapshotsJson(r.pools)},
      {"pairs", pairs},
      {"probe_interval", r.probeInterval},
      {"probes", probes}};
  if (!r.externalPairs.empty()) out["external_pairs"] = externalPairs;
  if (!r.certificates.empty()) {
    Json nodes = Json::array();
    for (const CertificateLine& c : r.certificates)
      nodes.push_back({{"node", c.node},
                       {"serial", c.serial},
                       {"not_before", c.notBefore},
                       {"not_after", c.notAfter},
                       {"issuer_ca_generation", c.issuer},
                       {"trusted_ca_generation", c.trusts},
                       {"valid_at_end", c.validAtEnd}});
    out["certificates"] = {{"end_date", r.endDate},
                           {"renewals", r.certificateRenewals},
                           {"ca_generations", r.caGenerations},
                           {"certificate_rejections", r.certificateRejections},
                           {"nodes", nodes}};
  }
  return out;
}

namespace {

// The pairs not up at the end, one line per (state, cause, daemons' view):
// how many, and since when.
void WritePairGroups(std::ostringstream& out, const LifecycleReport& r) {
  struct Group {
    size_t pairs = 0;
    double first = 0, last = 0;
  };
  std::map<std::tuple<std::string, std::string, bool>, Group> groups;
  for (const PairTimeline& p : r.pairs) {
    if (p.intervals.empty() || p.intervals.back().state == "up") continue;
    Group& g = groups[{p.intervals.back().state, p.causeKind, p.reportedUp}];
    const double since = p.intervals.back().from;
    g.first = g.pairs == 0 ? since : std::min(g.first, since);
    g.last = g.pairs == 0 ? since : std::max(g.last, since);
    ++g.pairs;
  }
  for (const auto& [key, g] : groups) {
    const auto& [state, cause, reportedUp] = key;
    out << "  " << g.pairs << (g.pairs == 1 ? " pair " : " pairs ") << state << " since "
        << Seconds(g.first) << (g.last > g.first ? " to " + Seconds(g.last) : "")
        << (reportedUp ? " (daemons report up)" : "") << (cause.empty() ? "" : ", cause " + cause)
        << "\n";
  }
  if (!groups.empty())
    out << "  (each pair: ipsecsim run --verbose, or report.json lifecycle.pairs)\n";
}

}  // namespace

std::string FormatLifecycle(const LifecycleReport& r, LifecycleDetail detail) {
  std::ostringstream out;
  out << "LIFECYCLE " << r.installedVersion << " -> " << r.finalVersion << " (daemons "
      << r.daemonFixes << (r.libreswan.empty() ? "" : ", libreswan " + r.libreswan) << "): rollout "
      << Seconds(r.rolloutSeconds) << ", " << r.reboots
      << " reboots; NB_Global ipsec=" << (r.nbGlobalIpsec ? "true" : "false") << "\n";
  for (const std::string& w : r.warnings) out << "WARNING " << w << "\n";
  for (const sim::PoolSnapshot& s : r.pools) {
    out << "POOLS at " << Seconds(s.seconds) << ", after " << s.step << " (oc get mcp):\n"
        << FormatPoolTable(s.pools);
  }
  for (const MtuChangeLine& c : r.mtuChanges) {
    out << "MTU " << c.node << " at " << Seconds(c.seconds) << ": pod " << c.podMtuBefore << " -> "
        << c.podMtu << " (mtu " << c.interfaceMtu
        << (c.routableMtu ? ", routable-mtu " + std::to_string(c.routableMtu) : std::string())
        << "), machine " << c.machineMtu << "\n";
  }
  if (!r.certificates.empty()) {
    out << "CERTIFICATES at " << r.endDate << ": " << r.certificateRenewals << " renewals, "
        << r.caGenerations << " CA generations, " << r.certificateRejections
        << " IKE_AUTH exchanges failed on a peer certificate\n";
    for (const CertificateLine& c : r.certificates)
      out << "  " << c.node << ": serial " << c.serial.substr(0, 8) << "..., CA generation "
          << c.issuer << ", valid " << c.notBefore << " to " << c.notAfter
          << ", trusts CA generation " << c.trusts << (c.validAtEnd ? "" : ", NOT VALID at the end")
          << "\n";
  }
  out << "PAIRS " << r.pairsUp << "/" << r.pairs.size() << " up at the end, " << r.blackHoledPairs
      << " black-holed, " << r.clearPairs << " in clear, " << r.brokenPairs
      << " broken while every daemon reports up; " << r.pairsEverBlackHoled
      << " ever black-holed\n";
  if (!r.externalPairs.empty()) {
    // Each node with each external host: when it came up, and how it ended.
    out << "EXTERNAL PAIRS " << r.externalPairsUp << "/" << r.externalPairs.size()
        << " up at the end\n";
    for (const PairTimeline& p : r.externalPairs) {
      double upSince = -1;
      for (const StateInterval& i : p.intervals)
        if (i.state == "up" && upSince < 0) upSince = i.from;
      out << "  " << p.a << " <-> " << p.b << ": "
          << (p.intervals.empty() ? "" : p.intervals.back().state);
      if (upSince >= 0) out << ", first up at " << Seconds(upSince);
      out << "\n";
    }
  }
  if (!r.probes.empty()) {
    out << "PROBES " << r.probesLost << " lost (" << Seconds(r.disruptionPairSeconds)
        << " of pair disruption, longest window " << Seconds(r.longestLossWindow) << "), "
        << r.probePairsLosing << " pairs still losing at the end\n";
  }
  if (detail == LifecycleDetail::kSummary) {
    WritePairGroups(out, r);
    return out.str();
  }
  for (const PairTimeline& p : r.pairs) {
    if (p.intervals.empty() || p.intervals.back().state == "up") continue;
    out << "  pair " << p.a << " <-> " << p.b << ": " << p.intervals.back().state << " since "
        << Seconds(p.intervals.back().from) << (p.reportedUp ? " (daemons report up)" : "")
        << (p.causeKind.empty() ? "" : ", cause " + p.causeKind) << "\n";
    for (const std::string& step : p.cause) out << "    " << step << "\n";
  }
  return out.str();
}

std::string LifecycleTimelineCsv(const LifecycleReport& r) {
  std::ostringstream out;
  // Six significant digits, as ever; runs that last years (advance steps)
  // get as many as keep milliseconds.
  double last = 0;
  for (const auto& e : r.events) last = std::max(last, e.seconds);
  if (last >= 1e5) out.precision(int(std::log10(last)) + 4);
  out << "kind,a,b,from,to,state,packets\n";
  for (const PairTimeline& p : r.pairs)
    for (const StateInterval& i : p.intervals)
      out << "pair," << p.a << "," << p.b << "," << i.from << "," << i.to << "," << i.state
          << ",\n";
  for (const ProbePairResult& p : r.probes) {
    for (const TimeWindow& w : p.lossWindows)
      out << "loss," << p.from << "," << p.to << "," << w.from << "," << w.to << ",lost,"
          << w.packets << "\n";
    for (const TimeWindow& w : p.clearWindows)
      out << "clear," << p.from << "," << p.to << "," << w.from << "," << w.to << ",clear,"
          << w.packets << "\n";
  }
  for (const auto& e : r.events) {
    std::string text;
    for (char c : e.text) text += c == '"' ? std::string("\"\"") : std::string(1, c);
    out << "event,,," << e.seconds << "," << e.seconds << ",\"" << text << "\",\n";
  }
  return out.str();
}

}  // namespace ipsecsim::harness
