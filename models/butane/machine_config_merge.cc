#include "machine_config_merge.h"

#include <algorithm>

namespace ipsecsim::butane {

namespace {

void MergeFile(std::vector<ConfigFile>& files, const ConfigFile& child) {
  for (ConfigFile& f : files) {
    if (f.path != child.path) continue;
    f = child;  // every field of a file entry the child writes replaces the parent's
    return;
  }
  files.push_back(child);
}

// A unit's optional fields are set by the later config only where it sets them.
void MergeUnit(std::vector<SystemdUnit>& units, const SystemdUnit& child) {
  for (SystemdUnit& u : units) {
    if (u.name != child.name) continue;
    if (child.enabled) u.enabled = child.enabled;
    if (child.mask) u.mask = child.mask;
    if (child.contents) u.contents = child.contents;
    u.where = child.where;
    return;
  }
  units.push_back(child);
}

}  // namespace

MachineConfig MergeMachineConfigs(std::vector<MachineConfig> configs) {
  auto workerFirst = [](const MachineConfig& a, const MachineConfig& b) {
    const bool aw = a.Role() == "worker", bw = b.Role() == "worker";
    if (aw != bw) return aw;
    return a.name < b.name;
  };
  std::stable_sort(configs.begin(), configs.end(), workerFirst);
  MachineConfig out = configs.front();
  for (size_t i = 1; i < configs.size(); ++i) {
    const MachineConfig& next = configs[i];
    out.name += "+" + next.name;
    for (const ConfigFile& f : next.files) MergeFile(out.files, f);
    for (const SystemdUnit& u : next.units) MergeUnit(out.units, u);
    out.extensions.insert(out.extensions.end(), next.extensions.begin(), next.extensions.end());
    out.kernelArguments.insert(out.kernelArguments.end(), next.kernelArguments.begin(),
                               next.kernelArguments.end());
    if (next.fips.value_or(false)) out.fips = true;
  }
  return out;
}

}  // namespace ipsecsim::butane
