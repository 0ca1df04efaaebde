#include "scenario_lifecycle_loader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "install_date.h"
#include "ipsec_release.h"
#include "mtu_arithmetic.h"
#include "network_operator.h"
#include "oc_patch_command.h"
#include "ocp_zstreams.h"
#include "scenario.h"
#include "scenario_external_loader.h"
#include "scenario_limits.h"
#include "user_file.h"
#include "yaml_json.h"

namespace ipsecsim::harness {
namespace {

// A patch of the Network object is a few hundred bytes; oc reads -p whole.
constexpr size_t kMaxPatchLength = 64 * 1024;
const std::vector<std::string> kLifecycleKeys = {
    "daemon_fixes", "libreswan", "libreswan_unshipped", "modelled_crypto", "sample_interval",
    "settle",       "probes",    "daemonset",           "machine_config",  "procedure"};
const std::vector<std::string> kProbeKeys = {"interval", "size"};
const std::vector<std::string> kDaemonSetKeys = {"max_unavailable", "pod_start", "pod_start_jitter",
                                                 "pod_stop"};
const std::vector<std::string> kMachineConfigKeys = {"max_unavailable", "drain", "reboot",
                                                     "reboot_jitter", "ready"};
const std::vector<std::string> kProcedureKeys = {"start", "steps"};
const std::vector<std::string> kStepKeys = {
    "merge_patch", "json_patch", "patch_file", "oc",           "delete_daemonsets",
    "upgrade",     "wait_pools", "apply",      "wait_rollout", "timeout",
    "after",       "type",       "advance",    "advance_to"};
const std::vector<std::string> kActions = {"merge_patch",       "json_patch", "patch_file", "oc",
                                           "delete_daemonsets", "upgrade",    "wait_pools", "apply",
                                           "advance",           "advance_to"};
// oc apply -f takes several files; a pool takes one MachineConfig of the user's.
constexpr size_t kMaxAppliedFiles = 16;

// The earliest the simulated wall clock can show at each step (the steps'
// `after` and advances; rollouts only add to it), to refuse a date the
// clock has passed already: it cannot go backwards, nor before the install.
class SimulatedClock {
 public:
  explicit SimulatedClock(double startSeconds) : earliest_(kInstallEpoch + startSeconds) {}
  void Step(const ProcedureStepSpec& step, const YamlValue& at) {
    earliest_ += step.afterSeconds;
    if (step.kind != sim::LifecycleStep::Kind::kAdvance) return;
    const double before = earliest_;
    if (step.advanceTo) {
      const double to = double(*step.advanceTo);
      if (to < double(kInstallEpoch))
        at.Fail("expected a date after the install (" + FormatUtcDate(kInstallEpoch) + "), got " +
                FormatUtcDate(*step.advanceTo));
      if (to < earliest_)
        at.Fail(
            "expected a date the clock has not passed: the clock cannot go backwards, and it "
            "shows " +
            FormatUtcDate(int64_t(earliest_)) + " at the earliest when this step starts, got " +
            FormatUtcDate(*step.advanceTo));
      earliest_ = to;
    } else {
      earliest_ += step.advanceSeconds;
    }
    advanced_ += earliest_ - before;
    if (advanced_ > kMaxAdvanceSeconds)
      at.Fail("expected the procedure's advance steps to span at most 30y together, got " +
              std::to_string(int64_t(advanced_ / 86400)) + " days");
  }

 private:
  double earliest_;
  double advanced_ = 0;
};

double Positive(const YamlValue& v, const std::string& what) {
  const double s = v.AsDuration(kMaxSeconds);
  if (s <= 0) v.Fail("expected " + what + " greater than 0");
  return s;
}

void ParseDaemonSet(const YamlValue& value, LifecycleSpec& spec) {
  YamlMap m = value.AsMap(kDaemonSetKeys, "a map such as {max_unavailable: 10%, pod_start: 8s}");
  if (auto v = m.Find("max_unavailable")) {
    const std::string text = v->AsString("a count or a percentage such as 1 or 10%");
    static const std::regex kCount("[1-9][0-9]{0,3}|([1-9][0-9]?|100)%");
    if (!std::regex_match(text, kCount))
      v->Fail("expected a count (1..9999) or a percentage (1%..100%), got '" + text + "'");
    spec.timing.daemonSetMaxUnavailable = text;
  }
  sim::RolloutTiming& t = spec.timing;
  if (auto v = m.Find("pod_start")) t.podStartSeconds = v->AsDuration(3600);
  if (auto v = m.Find("pod_start_jitter")) t.podStartJitterSeconds = v->AsDuration(3600);
  if (auto v = m.Find("pod_stop")) t.podStopSeconds = v->AsDuration(3600);
}

void ParseMachineConfig(const YamlValue& value, LifecycleSpec& spec) {
  YamlMap m = value.AsMap(kMachineConfigKeys, "a map such as {max_unavailable: 1, reboot: 90s}");
  sim::RolloutTiming& t = spec.timing;
  if (auto v = m.Find("max_unavailable")) t.mcoMaxUnavailable = ParseMaxUnavailable(*v);
  if (auto v = m.Find("drain")) t.drainSeconds = v->AsDuration(3600);
  if (auto v = m.Find("reboot")) t.rebootSeconds = Positive(*v, "a reboot time");
  if (auto v = m.Find("reboot_jitter")) t.rebootJitterSeconds = v->AsDuration(3600);
  if (auto v = m.Find("ready")) t.readySeconds = v->AsDuration(3600);
}

// Applies each step to a copy of the operator's object as the API server
// would, so that bad patches and impossible updates fail here.
class Rehearsal {
 public:
  explicit Rehearsal(const InstalledCluster& installed)
      : version_(*sim::OcpVersion::Parse(installed.version)),
        config_(version_, nlohmann::json::parse(installed.ipsecConfigJson)) {
    config_.SetInstalledMtu(installed.clusterMtu, installed.hostMtu);
    installedOn_ = config_.Intent() != sim::IpsecIntent::kDisabled;
    if (installedOn_) KeepDaemonSets();
  }

  sim::IpsecIntent Intent() const { return config_.Intent(); }

  void Apply(const ProcedureStepSpec& step, const YamlValue& at, LifecycleSpec& spec) {
    const sim::IpsecIntent before = config_.Intent();
    const sim::OcpVersion fromVersion = sim::Resolve(version_);
    try {
      switch (step.kind) {
        case sim::LifecycleStep::Kind::kMergePatch:
          config_.ApplyMergePatch(step.body);
          WarnOverwrittenType(at, spec);
          break;
        case sim::LifecycleStep::Kind::kJsonPatch:
          config_.ApplyJsonPatch(step.body);
          WarnOverwrittenType(at, spec);
          break;
        case sim::LifecycleStep::Kind::kDeleteDaemonSets:
          for (const std::string& name : step.names) left_.erase(name);
          break;
        case sim::LifecycleStep::Kind::kUpgrade: {
          const sim::OcpVersion from = sim::Resolve(version_);
          const sim::OcpVersion to = sim::Resolve(step.to);
          if (auto why = sim::UpdateNotAllowed(from, to))
            at.Fail("expected an update the update graph allows: " + *why);
          const bool ipsecOn = config_.Intent() != sim::IpsecIntent::kDisabled;
          for (const sim::UpdateRisk& risk : sim::IpsecUpdateRisks(from, to)) {
            if (!ipsecOn) continue;
            spec.warnings.push_back("line " + std::to_string(at.Line()) + ": update " +
                                    from.ToString() + " -> " + to.ToString() +
                                    " is not recommended (" + risk.name + ": " + risk.message +
                                    " " + risk.url + ")");
          }
          config_.SetVersion(step.to);
          version_ = step.to;
          versions_.push_back(version_);
          break;
        }
        case sim::LifecycleStep::Kind::kWaitPools:
        case sim::LifecycleStep::Kind::kApplyMachineConfigs:
        case sim::LifecycleStep::Kind::kAdvance:
          break;
      }
    } catch (const sim::OperatorDegraded& e) {
      at.Fail(std::string("the network operator will not apply this (Degraded, "
                          "InvalidOperatorConfig): ") +
              e.what());
    } catch (const sim::OperatorApiError& e) {
      at.Fail(std::string("the API server refuses this: ") + e.what());
    }
    Document(step, at.Line(), before, fromVersion, spec);
    const int machine = config_.RenderedMtu().machineMtu;
    if (machine < kMinMtu || machine > kMaxHostMtu)
      at.Fail("expected a machine MTU ipsecsim's underlay carries (" + std::to_string(kMinMtu) +
              ".." + std::to_string(kMaxHostMtu) + ", as cluster.host_mtu), got " +
              std::to_string(machine));
  }
  const std::vector<sim::OcpVersion>& Versions() const { return versions_; }

 private:
  // A patch of spec.defaultNetwork.type is stored, then undone by the
  // operator (NetworkOperatorConfig::RestoreNetworkType): the run goes on, as
  // the cluster does, with a warning.
  void WarnOverwrittenType(const YamlValue& at, LifecycleSpec& spec) const {
    const std::optional<std::string>& type = config_.OverwrittenNetworkType();
    if (!type) return;
    const std::string what = type->empty() ? "removal of it" : "'" + PrintableText(*type) + "'";
    spec.warnings.push_back(
        "line " + std::to_string(at.Line()) +
        ": the network operator writes spec.defaultNetwork.type back to OVNKubernetes, the "
        "networkType of network.config.openshift.io cluster, so the patch's " +
        what +
        " changes nothing (changing the network plugin is a migration of "
        "network.config.openshift.io, not modelled)");
  }

  // The IPsec DaemonSets of the release stay until deleted by hand (before
  // 4.15 the operator leaves them once IPsec is off).
  void KeepDaemonSets() {
    for (const std::string& ds : sim::ReleaseFor(version_, sim::DaemonFixes::kStock).daemonSets)
      left_.insert(ds);
  }

  static DocumentedLine Crossed(DocumentedLine::Rule rule, int line, std::string step) {
    DocumentedLine d;
    d.rule = rule;
    d.line = line;
    d.step = std::move(step);
    return d;
  }

  // The documentation's lines this step crosses (docs/lifecycle.md).
  void Document(const ProcedureStepSpec& step, int line, sim::IpsecIntent before,
                const sim::OcpVersion& fromVersion, LifecycleSpec& spec) {
    using Rule = DocumentedLine::Rule;
    const sim::IpsecIntent after = config_.Intent();
    const bool on = after != sim::IpsecIntent::kDisabled;
    if (on) KeepDaemonSets();
    if (step.kind == sim::LifecycleStep::Kind::kUpgrade) {
      const sim::OcpVersion to = sim::Resolve(step.to);
      if (fromVersion.AtLeast(4, 15) || !to.AtLeast(4, 15) || to.AtLeast(4, 16)) return;
      const std::string what = "update " + fromVersion.ToString() + " -> " + to.ToString();
      if (on) {
        spec.documented.push_back(Crossed(Rule::kUpdateWithIpsec, line, what));
      } else if (!left_.empty()) {
        DocumentedLine d = Crossed(Rule::kUpdateKeepsDaemonSets, line, what);
        d.daemonSets.assign(left_.begin(), left_.end());
        spec.documented.push_back(d);
      }
      return;
    }
    if (!on && version_.AtLeast(4, 15)) left_.clear();  // the operator deletes them itself
    if (after == sim::IpsecIntent::kFull && before != sim::IpsecIntent::kFull) {
      const sim::OvnMtu mtu = config_.RenderedMtu();
      if (mtu.machineMtu - mtu.RouteMtu() < int(sim::mtu::kGeneveBudget + sim::mtu::kIpsecBudget)) {
        DocumentedLine d = Crossed(Rule::kEnableUnreducedMtu, line, "IPsec enabled");
        d.podMtu = mtu.RouteMtu();
        d.machineMtu = mtu.machineMtu;
        spec.documented.push_back(d);
      }
    }
    if (installedOn_ && before != sim::IpsecIntent::kDisabled && !on)
      spec.documented.push_back(Crossed(Rule::kDisableInstalled, line, "IPsec disabled"));
  }

  bool installedOn_ = false;
  std::set<std::string> left_;  // IPsec DaemonSets that exist
  sim::OcpVersion version_;
  sim::NetworkOperatorConfig config_;
  std::vector<sim::OcpVersion> versions_{version_};
};

// The libreswan override must be a build some release of each minor the
// run passes through shipped, unless libreswan_unshipped says otherwise.
void CheckLibreswan(const YamlValue& value, const std::string& text,
                    const std::vector<sim::OcpVersion>& versions) {
  const sim::Libreswan build = *sim::ParseLibreswan(text);
  for (const sim::OcpVersion& v : versions) {
    const std::vector<sim::Libreswan> shipped = sim::ShippedLibreswan(v);
    if (shipped.empty()) continue;
    if (std::find(shipped.begin(), shipped.end(), build) != shipped.end()) continue;
    std::string list;
    for (sim::Libreswan s : shipped) list += (list.empty() ? "" : ", ") + sim::ToString(s);
    value.Fail("expected a libreswan that " + std::to_string(v.major) + "." +
               std::to_string(v.minor) + " shipped (" + list + "), got '" + text +
               "'; set libreswan_unshipped: true to model a build no such release shipped");
  }
}

// A patch body given as a string (verbatim, as to oc patch -p) or as YAML
// (a map for a merge patch, a list for a JSON patch), which becomes JSON.
std::string PatchBody(const YamlValue& v, bool json) {
  const YAML::Node& node = v.Node();
  if (node.IsScalar())
    return v.AsString(json ? "a JSON patch body, as given to oc patch --type=json -p"
                           : "a JSON merge patch body, as given to oc patch --type=merge -p",
                      kMaxPatchLength);
  if (json ? !node.IsSequence() : !node.IsMap())
    v.Fail(json ? "expected a JSON patch: a list of operations, or its JSON text"
                : "expected a merge patch: a map such as {spec: {...}}, or its JSON text");
  const std::string body = YamlToJson(v).dump();
  if (body.size() > kMaxPatchLength)
    v.Fail("expected a patch of at most " + std::to_string(kMaxPatchLength) + " bytes");
  return body;
}

// A patch file named by the scenario, relative to the scenario's folder, in
// JSON or YAML as oc patch --patch-file takes it; its errors cite its lines.
std::string PatchFileBody(const YamlValue& at, const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path scenario(at.File());
  const fs::path path = fs::path(name).is_absolute() || !scenario.has_parent_path()
                            ? fs::path(name)
                            : scenario.parent_path() / name;
  // Read as every file the user names is (models/common/user_file.h): never
  // blocking (/proc/kmsg, a FIFO swapped in), to one byte past the limit (a
  // file's reported size can lie, /proc; its content cannot).
  std::string text;
  const UserFile status = ReadUserFile(path.string(), kMaxPatchLength, text);
  if (status == UserFile::kTooLarge)
    at.Fail("expected a patch file of at most " + std::to_string(kMaxPatchLength) + " bytes");
  if (status != UserFile::kRead)
    at.Fail("expected a readable patch file, but '" + path.string() + "' " +
            UserFileProblem(status) + " (a relative path is taken from the scenario's folder)");
  YAML::Node root;
  try {
    ScanYamlStream(text, path.string());
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(path.string(), e.mark.is_null() ? 0 : e.mark.line + 1, "(document)",
                        "invalid JSON or YAML patch: " + e.msg);
  }
  if (!root.IsMap() && !root.IsSequence())
    throw ScenarioError(path.string(), 1, "(document)",
                        "expected a patch: a map (merge patch) or a list (JSON patch)");
  return YamlToJson(YamlValue(root, "", path.string(), 1)).dump();
}

void ParseOcCommand(const YamlValue& v, ProcedureStepSpec& step) {
  std::string error;
  auto command = ParseOcPatchCommand(
      v.AsString("an oc patch command line, as in the documentation", kMaxPatchLength), &error);
  if (!command)
    v.Fail(
        "expected `oc patch networks.operator.openshift.io cluster --type=merge "
        "-p '{...}'`: " +
        error);
  step.kind =
      command->json ? sim::LifecycleStep::Kind::kJsonPatch : sim::LifecycleStep::Kind::kMergePatch;
  step.body = command->patchFile.empty() ? command->body : PatchFileBody(v, command->patchFile);
  step.patchFile = command->patchFile;
}

ProcedureStepSpec ParseStep(const YamlValue& value, const std::vector<std::string>& pools) {
  YamlMap m = value.AsMap(kStepKeys, "a step with one of " + JoinWords(kActions));
  ProcedureStepSpec step;
  step.line = value.Line();
  int actions = 0;
  for (const std::string& key : kActions) actions += m.Has(key);
  if (actions != 1)
    m.FailAt(kActions[0], "expected exactly one of " + JoinWords(kActions) + " in a step, found " +
                              std::to_string(actions));
  if (m.Has("type") && !m.Has("patch_file"))
    m.FailAt("type", "expected type only beside patch_file");
  if (m.Has("timeout") && !m.Has("wait_pools"))
    m.FailAt("timeout", "expected timeout only beside wait_pools");
  if (auto v = m.Find("wait_rollout")) {
    for (const char* still : {"wait_pools", "advance", "advance_to"})
      if (m.Has(still))
        v->Fail(
            std::string("expected wait_rollout only on a step that changes something, not on ") +
            still);
    step.waitRollout = v->AsBool();
  }
  if (auto v = m.Find("merge_patch")) {
    step.kind = sim::LifecycleStep::Kind::kMergePatch;
    step.body = PatchBody(*v, false);
  } else if (auto v = m.Find("json_patch")) {
    step.kind = sim::LifecycleStep::Kind::kJsonPatch;
    step.body = PatchBody(*v, true);
  } else if (auto v = m.Find("patch_file")) {
    const bool json = m.Has("type") && m.Find("type")->AsChoice({"merge", "json"}) == "json";
    step.kind = json ? sim::LifecycleStep::Kind::kJsonPatch : sim::LifecycleStep::Kind::kMergePatch;
    step.patchFile = v->AsString("a patch file name");
    step.body = PatchFileBody(*v, step.patchFile);
  } else if (auto v = m.Find("oc")) {
    ParseOcCommand(*v, step);
  } else if (auto v = m.Find("delete_daemonsets")) {
    step.kind = sim::LifecycleStep::Kind::kDeleteDaemonSets;
    for (const YamlValue& name : v->AsList("a list of DaemonSet names"))
      step.names.push_back(
          name.AsChoice({"ovn-ipsec", "ovn-ipsec-host", "ovn-ipsec-containerized"}));
    if (step.names.empty()) v->Fail("expected at least one DaemonSet name");
  } else if (auto v = m.Find("wait_pools")) {
    step.kind = sim::LifecycleStep::Kind::kWaitPools;
    if (!(v->Node().IsScalar() && v->Node().Scalar() == "all")) {
      for (const YamlValue& name : v->AsList("all, or a list of pool names"))
        step.names.push_back(name.AsChoice(pools));
      if (step.names.empty()) v->Fail("expected all, or at least one pool name");
    }
    if (auto t = m.Find("timeout")) {
      step.timeoutSeconds = t->AsDuration(kMaxSeconds);
      if (step.timeoutSeconds <= 0) t->Fail("expected a timeout greater than 0");
    }
  } else if (auto v = m.Find("upgrade")) {
    step.kind = sim::LifecycleStep::Kind::kUpgrade;
    const std::string text = v->AsString("a version such as \"4.15\" or \"4.15.42\"");
    auto version = sim::OcpVersion::Parse(text);
    if (!version || version->major != 4 || version->minor < 12 || version->minor > 19)
      v->Fail("expected a version \"4.N\" or \"4.N.Z\" with 12 <= N <= 19, got '" + text + "'");
    if (auto why = sim::NotShipped(*version)) v->Fail("expected a released z-stream: " + *why);
    step.to = *version;
  } else if (auto v = m.Find("advance")) {
    step.kind = sim::LifecycleStep::Kind::kAdvance;
    step.advanceSeconds = v->AsDuration(kMaxAdvanceSeconds);
    if (step.advanceSeconds <= 0)
      v->Fail("expected a duration greater than 0, such as 4.6y or 30d");
  } else if (auto v = m.Find("advance_to")) {
    step.kind = sim::LifecycleStep::Kind::kAdvance;
    const std::string text = v->AsString("a UTC date such as 2030-08-01 or 2030-08-01T12:00:00Z");
    const std::optional<int64_t> date = ParseUtcDate(text);
    if (!date)
      v->Fail("expected a UTC date such as 2030-08-01 or 2030-08-01T12:00:00Z, got '" + text + "'");
    step.advanceTo = *date;
  } else if (auto v = m.Find("apply")) {
    step.kind = sim::LifecycleStep::Kind::kApplyMachineConfigs;
    std::vector<YamlValue> files;
    if (v->Node().IsSequence()) {
      files = v->AsList("a Butane or MachineConfig file, or a list of them");
      if (files.empty() || files.size() > kMaxAppliedFiles)
        v->Fail("expected 1 to " + std::to_string(kMaxAppliedFiles) + " files");
    } else {
      files.push_back(*v);
    }
    for (const YamlValue& file : files) {
      step.applied.push_back(ParseExternalFile(file, "a Butane or MachineConfig file"));
      step.files.push_back(file.AsString("a file name"));
    }
  }
  if (auto v = m.Find("after")) step.afterSeconds = v->AsDuration(kMaxSeconds);
  return step;
}

void ParseProcedure(const YamlValue& value, LifecycleSpec& spec, Rehearsal& rehearsal,
                    const InstalledCluster& installed) {
  YamlMap m = value.AsMap(kProcedureKeys, "a map {start: 30s, steps: [...]}");
  if (auto v = m.Find("start")) spec.startSeconds = v->AsDuration(kMaxSeconds);
  const std::vector<YamlValue> steps = m.Require("steps").AsList("a list of steps");
  // As a flow's start: a procedure that starts at or after the end would
  // never run a step, and the run would say nothing of it.
  if (!steps.empty() && installed.durationSeconds > 0 &&
      spec.startSeconds >= installed.durationSeconds) {
    std::ostringstream at;
    at.imbue(std::locale::classic());
    at << "expected the procedure to start before the end of the scenario (duration "
       << installed.durationSeconds << "s), got " << spec.startSeconds
       << "s: none of its steps would run";
    (m.Find("start") ? *m.Find("start") : value).Fail(at.str());
  }
  const std::vector<std::string>& pools = installed.pools;
  SimulatedClock clock(spec.startSeconds);
  for (const YamlValue& item : steps) {
    ProcedureStepSpec step = ParseStep(item, pools);
    clock.Step(step, item);
    if (step.kind == sim::LifecycleStep::Kind::kAdvance && installed.durationSeconds > 0)
      item.Fail(
          "expected no scenario duration beside an advance step: the run would stop in the "
          "middle of it; without duration it ends once the procedure has settled");
    rehearsal.Apply(step, item, spec);
    step.ipsecFullAfter = rehearsal.Intent() == sim::IpsecIntent::kFull;
    spec.steps.push_back(step);
  }
}

}  // namespace

// As the MCO takes spec.maxUnavailable (docs/lifecycle.md): what its
// GetScaledValueFromIntOrPercent cannot read, or a negative value, would
// leave the pool never updated.
sim::MaxUnavailable ParseMaxUnavailable(const YamlValue& value) {
  const std::string expected =
      "a count (0..5000; 0 counts as 1) or a percentage (0%..100%) such as 1 or 25%";
  const std::string text = value.AsString(expected);
  static const std::regex kCount("0|[1-9][0-9]{0,3}");
  static const std::regex kPercent("(0|[1-9][0-9]?|100)%");
  static const std::regex kInteger("-?[0-9]+");
  if (std::regex_match(text, kCount) && std::stoi(text) <= kMaxNodes) return std::stoi(text);
  if (std::regex_match(text, kPercent))
    return sim::MaxUnavailable::Percent(std::stoi(text.substr(0, text.size() - 1)));
  const bool percent = !text.empty() && text.back() == '%';
  const std::string number = percent ? text.substr(0, text.size() - 1) : text;
  std::string why;
  if (std::regex_match(number, kInteger) && number[0] == '-') {
    why =
        ": a negative maxUnavailable leaves the pool no capacity, so the MCO would never "
        "update a node";
  } else if (std::regex_match(number, kInteger)) {
    why = percent ? ": more than 100% of a pool" : ": no pool has more than 5000 nodes";
  } else if (percent) {
    why =
        ": the MCO would fail the pool's sync with \"invalid value for IntOrString: invalid "
        "value \"" +
        text + "\"\" and update no node";
  } else {
    why =
        ": the MCO would fail the pool's sync with \"invalid value for IntOrString: invalid "
        "type: string is not a percentage\" and update no node";
  }
  value.Fail("expected " + expected + ", got '" + text + "'" + why);
}

LifecycleSpec ParseLifecycle(const YamlValue& value, const InstalledCluster& installed) {
  const std::string& version = installed.version;
  YamlMap m = value.AsMap(kLifecycleKeys, "a lifecycle map with keys " + JoinWords(kLifecycleKeys));
  LifecycleSpec spec;
  if (auto v = m.Find("daemon_fixes"))
    spec.fixedDaemons = v->AsChoice({"stock", "fixed"}) == "fixed";
  if (auto v = m.Find("modelled_crypto")) spec.modelledCrypto = v->AsBool();
  if (auto v = m.Find("sample_interval")) {
    spec.sampleIntervalSeconds = Positive(*v, "an interval");
    if (spec.sampleIntervalSeconds < kMinPeriodSeconds)
      v->Fail(
          "expected a sample interval of at least 10ms: every pair of nodes is sampled "
          "each interval for the whole run");
  }
  if (auto v = m.Find("settle")) spec.settleSeconds = v->AsDuration(kMaxSeconds);
  if (auto v = m.Find("probes")) {
    YamlMap p = v->AsMap(kProbeKeys, "a map {interval: 1s, size: 100} (interval 0s: no probes)");
    if (auto i = p.Find("interval")) {
      spec.probeIntervalSeconds = i->AsDuration(3600);
      if (spec.probeIntervalSeconds > 0 && spec.probeIntervalSeconds < kMinPeriodSeconds)
        i->Fail(
            "expected a probe interval of 0s (no probes) or at least 10ms: every pair of "
            "nodes is probed each interval for the whole run");
    }
    if (auto s = p.Find("size"))
      spec.probeSize = int(s->AsInteger(24, 1400, "probe payload bytes"));
  }
  if (auto v = m.Find("daemonset")) ParseDaemonSet(*v, spec);
  if (auto v = m.Find("machine_config")) ParseMachineConfig(*v, spec);
  std::optional<Rehearsal> rehearsal;
  try {
    rehearsal.emplace(installed);
  } catch (const sim::OperatorApiError& e) {
    value.Fail(std::string("cluster.ipsec at install: the API server of ") + version +
               " refuses it: " + e.what());
  }
  if (auto v = m.Find("procedure")) ParseProcedure(*v, spec, *rehearsal, installed);
  if (auto v = m.Find("libreswan")) {
    spec.libreswan = v->AsChoice({"4.5", "4.6", "4.9", "5.x"});
    bool unshipped = false;
    if (auto u = m.Find("libreswan_unshipped")) unshipped = u->AsBool();
    if (!unshipped) CheckLibreswan(*v, spec.libreswan, rehearsal->Versions());
  } else if (auto u = m.Find("libreswan_unshipped")) {
    u->Fail("expected libreswan_unshipped only beside libreswan");
  }
  return spec;
}

}  // namespace ipsecsim::harness
