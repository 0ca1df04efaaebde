#include "lifecycle_step.h"

#include <cstdio>

#include "utc_date.h"

namespace ipsecsim::sim {

namespace {

bool IsButane(const std::string& file) {
  return file.size() > 3 && file.compare(file.size() - 3, 3, ".bu") == 0;
}

// A Butane file goes through butane first, as the documentation does
// (`butane -d . FILE.bu -o FILE.yaml`, then `oc apply -f FILE.yaml`).
std::string ApplyCommand(const std::vector<std::string>& files) {
  std::string butane, apply = "oc apply";
  for (const std::string& f : files) {
    if (IsButane(f)) {
      const std::string yaml = f.substr(0, f.size() - 3) + ".yaml";
      butane += "butane -d . " + f + " -o " + yaml + " && ";
      apply += " -f " + yaml;
    } else {
      apply += " -f " + f;
    }
  }
  return butane + apply;
}

constexpr double kDaySeconds = 86400;
constexpr double kYearSeconds = 365 * kDaySeconds;  // as the durations' "y"

// "4.6 years", "30 days", "12 hours" or "90 s".
std::string DescribeSpan(double seconds) {
  char text[48];
  if (seconds >= kYearSeconds)
    std::snprintf(text, sizeof text, "%.4g years", seconds / kYearSeconds);
  else if (seconds >= kDaySeconds)
    std::snprintf(text, sizeof text, "%.4g days", seconds / kDaySeconds);
  else if (seconds >= 3600)
    std::snprintf(text, sizeof text, "%.4g hours", seconds / 3600);
  else
    std::snprintf(text, sizeof text, "%g s", seconds);
  return text;
}

}  // namespace

std::string LifecycleStep::Describe() const {
  const std::string patchType = kind == Kind::kJsonPatch ? "json" : "merge";
  if (!patchFile.empty() && (kind == Kind::kMergePatch || kind == Kind::kJsonPatch))
    return "oc patch networks.operator.openshift.io cluster --type=" + patchType +
           " --patch-file " + patchFile;
  switch (kind) {
    case Kind::kMergePatch:
      return "oc patch networks.operator.openshift.io cluster --type=merge -p '" + body + "'";
    case Kind::kJsonPatch:
      return "oc patch networks.operator.openshift.io cluster --type=json -p '" + body + "'";
    case Kind::kDeleteDaemonSets: {
      std::string list;
      for (const std::string& n : names) list += " " + n;
      return "oc delete daemonset -n openshift-ovn-kubernetes" + list;
    }
    case Kind::kWaitPools: {
      std::string pools = names.empty() ? " --all" : "";
      for (const std::string& n : names) pools += " mcp/" + n;
      char timeout[32];
      std::snprintf(timeout, sizeof timeout, "%gs", timeoutSeconds);
      return "oc wait mcp" + pools + " --for=condition=Updated --timeout=" + timeout;
    }
    case Kind::kApplyMachineConfigs:
      return ApplyCommand(files);
    case Kind::kAdvance:
      return advanceTo ? "time passes until " + FormatUtcDate(*advanceTo)
                       : "time passes: " + DescribeSpan(advanceSeconds);
    case Kind::kUpgrade:
      break;
  }
  return "update the cluster to " + to.ToString();
}

}  // namespace ipsecsim::sim
