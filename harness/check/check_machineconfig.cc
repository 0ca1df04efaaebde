#include "check_machineconfig.h"

#include <algorithm>

#include "artifact_kind.h"

namespace ipsecsim::check {

namespace {

int LineOf(const butane::Origin& o) { return o.line; }

// Where an element of the MachineConfig was written: its own file (a merged
// MachineConfig holds elements of several), else the MachineConfig's.
std::string FileOf(const butane::Origin& o, const std::string& display) {
  return o.file.empty() ? display : o.file;
}

bool Included(const std::string& path) {
  return path.rfind("/etc/ipsec.d/", 0) == 0 && path.find('/', 13) == std::string::npos &&
         path.size() > 18 && path.substr(path.size() - 5) == ".conf";
}

}  // namespace

std::string ExecStartPath(const std::string& unitContents) {
  size_t pos = 0;
  while ((pos = unitContents.find("ExecStart=", pos)) != std::string::npos) {
    if (pos > 0 && unitContents[pos - 1] != '\n') {
      pos += 10;
      continue;
    }
    size_t start = pos + 10;
    while (start < unitContents.size() &&
           std::string("-@:+!").find(unitContents[start]) != std::string::npos)
      ++start;
    const size_t end = unitContents.find_first_of(" \t\n", start);
    return unitContents.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  return "";
}

void CheckMachineConfig(const butane::MachineConfig& mc, const std::string& display,
                        Findings& findings) {
  const int top = LineOf(mc.where);
  const std::string role = mc.Role();
  findings.Add(Level::kNote, display, top, "rollout",
               "MachineConfig " + mc.name + " for pool " + (role.empty() ? "(no role)" : role) +
                   ": the MCO rolls it out one node at a time (maxUnavailable 1 by default), "
                   "draining and rebooting each node; external connectivity exists only once "
                   "every node of every pool is updated (oc get mcp: UPDATED=True)");
  if (std::find(mc.extensions.begin(), mc.extensions.end(), "ipsec") == mc.extensions.end())
    findings.Add(Level::kError, display, top, "machineconfig",
                 "no ipsec extension (openshift.extensions / spec.extensions): Libreswan is not "
                 "installed on the host, so nothing runs the host pluto that reads "
                 "/etc/ipsec.d/*.conf");
  bool confIncluded = false;
  for (const butane::ConfigFile& f : mc.files) {
    const ArtifactKind kind = IdentifyContent(std::string(f.contents.begin(), f.contents.end()));
    if (kind == ArtifactKind::kLibreswanConf) {
      if (Included(f.path))
        confIncluded = true;
      else
        findings.Add(Level::kError, FileOf(f.where, display), LineOf(f.where), "machineconfig",
                     f.path +
                         " is a Libreswan configuration outside what /etc/ipsec.conf "
                         "includes (include /etc/ipsec.d/*.conf): pluto never reads it");
    }
    if (f.mode && (*f.mode & 0444) == 0)
      findings.Add(Level::kWarning, FileOf(f.where, display), LineOf(f.where), "machineconfig",
                   f.path + ": mode " + std::to_string(*f.mode) + " gives nobody read access");
  }
  if (!confIncluded)
    findings.Add(Level::kWarning, display, top, "machineconfig",
                 "no Libreswan configuration under /etc/ipsec.d/*.conf: the host pluto has no "
                 "external connection to load");
  const butane::SystemdUnit* import = mc.FindUnit("ipsec-import.service");
  if (!import) {
    findings.Add(Level::kWarning, display, top, "machineconfig",
                 "no ipsec-import.service: nothing imports the certificates into the node's NSS "
                 "database");
  } else if (import->contents) {
    const std::string script = ExecStartPath(*import->contents);
    const butane::ConfigFile* file = mc.FindFile(script);
    if (!file)
      findings.Add(Level::kError, FileOf(import->where, display), LineOf(import->where),
                   "machineconfig",
                   "ipsec-import.service runs " + script +
                       ", which this MachineConfig does not "
                       "write: the unit fails");
    else if (!file->mode || (*file->mode & 0100) == 0)
      findings.Add(Level::kError, FileOf(file->where, display), LineOf(file->where),
                   "machineconfig",
                   script + " is not executable by its owner (mode " +
                       (file->mode ? std::to_string(*file->mode) : std::string("0644 default")) +
                       "): ipsec-import.service fails");
    if (import->contents->find("Before=ipsec.service") == std::string::npos)
      findings.Add(Level::kWarning, FileOf(import->where, display), LineOf(import->where),
                   "machineconfig",
                   "ipsec-import.service is not ordered Before=ipsec.service: pluto may start "
                   "before the certificates are in NSS");
  }
  const butane::SystemdUnit* ipsec = mc.FindUnit("ipsec.service");
  if (ipsec && ipsec->enabled.value_or(false))
    findings.Add(Level::kError, FileOf(ipsec->where, display), LineOf(ipsec->where),
                 "machineconfig",
                 "enabled: true on ipsec.service: its unit file comes with the extension, after "
                 "the MCD enables units, so the MCD fails with \"error enabling units\" and "
                 "degrades the node (OCPBUGS-17826; the documentation's ipsecenabler.service "
                 "exists for this)");
  const butane::SystemdUnit* enabler = mc.FindUnit("ipsecenabler.service");
  if (!enabler && !ipsec)
    findings.Add(Level::kWarning, display, top, "machineconfig",
                 "nothing enables ipsec.service (the documentation's ipsecenabler.service runs "
                 "`systemctl enable --now ipsec.service`)");
  if (enabler)
    findings.Add(Level::kNote, FileOf(enabler->where, display), LineOf(enabler->where),
                 "machineconfig",
                 "ipsecenabler.service: on 4.15 and later the cluster network operator's "
                 "80-ipsec-" +
                     (role.empty() ? std::string("<role>") : role) +
                     "-extensions MachineConfig defines a unit of the same name; the MCO merges "
                     "MachineConfigs in name order, so " +
                     mc.name +
                     "'s definition is the one the node "
                     "gets (inferred from Ignition's merge of units by name)");
}

}  // namespace ipsecsim::check
