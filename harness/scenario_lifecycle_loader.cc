#include "scenario_lifecycle_loader.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <regex>

#include "ipsec_release.h"
#include "network_operator.h"
#include "ocp_zstreams.h"
#include "scenario_limits.h"

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
const std::vector<std::string> kStepKeys = {"merge_patch", "json_patch", "delete_daemonsets",
                                            "upgrade", "after"};
const std::vector<std::string> kActions = {"merge_patch", "json_patch", "delete_daemonsets",
                                           "upgrade"};

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
    spec.daemonSetMaxUnavailable = text;
  }
  if (auto v = m.Find("pod_start")) spec.podStartSeconds = v->AsDuration(3600);
  if (auto v = m.Find("pod_start_jitter")) spec.podStartJitterSeconds = v->AsDuration(3600);
  if (auto v = m.Find("pod_stop")) spec.podStopSeconds = v->AsDuration(3600);
}

void ParseMachineConfig(const YamlValue& value, LifecycleSpec& spec) {
  YamlMap m = value.AsMap(kMachineConfigKeys, "a map such as {max_unavailable: 1, reboot: 90s}");
  if (auto v = m.Find("max_unavailable"))
    spec.mcoMaxUnavailable = int(v->AsInteger(1, 500, "nodes of a pool updated at once"));
  if (auto v = m.Find("drain")) spec.drainSeconds = v->AsDuration(3600);
  if (auto v = m.Find("reboot")) spec.rebootSeconds = Positive(*v, "a reboot time");
  if (auto v = m.Find("reboot_jitter")) spec.rebootJitterSeconds = v->AsDuration(3600);
  if (auto v = m.Find("ready")) spec.readySeconds = v->AsDuration(3600);
}

// Applies each step to a copy of the operator's object as the API server
// would, so that bad patches and impossible updates fail here.
class Rehearsal {
 public:
  Rehearsal(const std::string& version, const std::string& ipsecConfigJson)
      : version_(*sim::OcpVersion::Parse(version)),
        config_(version_, nlohmann::json::parse(ipsecConfigJson)) {}

  void Apply(const ProcedureStepSpec& step, const YamlValue& at, LifecycleSpec& spec) {
    try {
      switch (step.kind) {
        case ProcedureStepSpec::Kind::kMergePatch:
          config_.ApplyMergePatch(step.body);
          break;
        case ProcedureStepSpec::Kind::kJsonPatch:
          config_.ApplyJsonPatch(step.body);
          break;
        case ProcedureStepSpec::Kind::kDeleteDaemonSets:
          break;
        case ProcedureStepSpec::Kind::kUpgrade: {
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
      }
    } catch (const sim::OperatorApiError& e) {
      at.Fail(std::string("the API server refuses this: ") + e.what());
    }
  }
  const std::vector<sim::OcpVersion>& Versions() const { return versions_; }

 private:
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

ProcedureStepSpec ParseStep(const YamlValue& value) {
  YamlMap m = value.AsMap(kStepKeys,
                          "a step with one of merge_patch, json_patch, delete_daemonsets, upgrade");
  ProcedureStepSpec step;
  step.line = value.Line();
  int actions = 0;
  for (const std::string& key : kActions) actions += m.Has(key);
  if (actions != 1)
    m.FailAt(kActions[0], "expected exactly one of " + JoinWords(kActions) + " in a step, found " +
                              std::to_string(actions));
  if (auto v = m.Find("merge_patch")) {
    step.kind = ProcedureStepSpec::Kind::kMergePatch;
    step.body = v->AsString("a JSON merge patch body, as given to oc patch --type=merge -p",
                            kMaxPatchLength);
  } else if (auto v = m.Find("json_patch")) {
    step.kind = ProcedureStepSpec::Kind::kJsonPatch;
    step.body =
        v->AsString("a JSON patch body, as given to oc patch --type=json -p", kMaxPatchLength);
  } else if (auto v = m.Find("delete_daemonsets")) {
    step.kind = ProcedureStepSpec::Kind::kDeleteDaemonSets;
    for (const YamlValue& name : v->AsList("a list of DaemonSet names"))
      step.names.push_back(
          name.AsChoice({"ovn-ipsec", "ovn-ipsec-host", "ovn-ipsec-containerized"}));
    if (step.names.empty()) v->Fail("expected at least one DaemonSet name");
  } else if (auto v = m.Find("upgrade")) {
    step.kind = ProcedureStepSpec::Kind::kUpgrade;
    const std::string text = v->AsString("a version such as \"4.15\" or \"4.15.42\"");
    auto version = sim::OcpVersion::Parse(text);
    if (!version || version->major != 4 || version->minor < 12 || version->minor > 19)
      v->Fail("expected a version \"4.N\" or \"4.N.Z\" with 12 <= N <= 19, got '" + text + "'");
    if (auto why = sim::NotShipped(*version)) v->Fail("expected a released z-stream: " + *why);
    step.to = *version;
  }
  if (auto v = m.Find("after")) step.afterSeconds = v->AsDuration(kMaxSeconds);
  return step;
}

void ParseProcedure(const YamlValue& value, LifecycleSpec& spec, Rehearsal& rehearsal) {
  YamlMap m = value.AsMap(kProcedureKeys, "a map {start: 30s, steps: [...]}");
  if (auto v = m.Find("start")) spec.startSeconds = v->AsDuration(kMaxSeconds);
  for (const YamlValue& item : m.Require("steps").AsList("a list of steps")) {
    ProcedureStepSpec step = ParseStep(item);
    rehearsal.Apply(step, item, spec);
    spec.steps.push_back(step);
  }
}

}  // namespace

LifecycleSpec ParseLifecycle(const YamlValue& value, const std::string& version,
                             const std::string& ipsecConfigJson) {
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
    rehearsal.emplace(version, ipsecConfigJson);
  } catch (const sim::OperatorApiError& e) {
    value.Fail(std::string("cluster.ipsec at install: the API server of ") + version +
               " refuses it: " + e.what());
  }
  if (auto v = m.Find("procedure")) ParseProcedure(*v, spec, *rehearsal);
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
