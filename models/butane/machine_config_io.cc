#include "machine_config_io.h"

#include "data_url.h"
#include "yaml_fields.h"

namespace ipsecsim::butane {

std::string MachineConfig::Role() const {
  auto it = labels.find("machineconfiguration.openshift.io/role");
  return it == labels.end() ? "" : it->second;
}

const ConfigFile* MachineConfig::FindFile(const std::string& path) const {
  for (const ConfigFile& f : files)
    if (f.path == path) return &f;
  return nullptr;
}

const SystemdUnit* MachineConfig::FindUnit(const std::string& name) const {
  for (const SystemdUnit& u : units)
    if (u.name == name) return &u;
  return nullptr;
}

nlohmann::json ToJson(const MachineConfig& mc) {
  nlohmann::json files = nlohmann::json::array();
  for (const ConfigFile& f : mc.files) {
    nlohmann::json file = {{"path", f.path}};
    if (f.overwrite) file["overwrite"] = true;
    if (f.mode) file["mode"] = *f.mode;
    if (!f.source.empty())
      file["contents"] = {{"compression", f.compression}, {"source", f.source}};
    files.push_back(file);
  }
  nlohmann::json units = nlohmann::json::array();
  for (const SystemdUnit& u : mc.units) {
    nlohmann::json unit = {{"name", u.name}};
    if (u.contents) unit["contents"] = *u.contents;
    if (u.enabled) unit["enabled"] = *u.enabled;
    if (u.mask) unit["mask"] = *u.mask;
    units.push_back(unit);
  }
  nlohmann::json config = {{"ignition", {{"version", mc.ignitionVersion}}}};
  if (!files.empty()) config["storage"] = {{"files", files}};
  if (!units.empty()) config["systemd"] = {{"units", units}};
  nlohmann::json spec = {{"config", config}};
  if (!mc.extensions.empty()) spec["extensions"] = mc.extensions;
  if (!mc.kernelArguments.empty()) spec["kernelArguments"] = mc.kernelArguments;
  if (mc.fips) spec["fips"] = *mc.fips;
  if (!mc.kernelType.empty()) spec["kernelType"] = mc.kernelType;
  return {{"apiVersion", "machineconfiguration.openshift.io/v1"},
          {"kind", "MachineConfig"},
          {"metadata", {{"labels", mc.labels}, {"name", mc.name}}},
          {"spec", spec}};
}

ReadResult ReadMachineConfig(const std::string& text, const std::string& file) {
  ReadResult result;
  YamlFields fields(file, &result.notices);
  const YAML::Node root = LoadYaml(text, file);
  if (!root.IsMap() || !root["kind"] || !root["kind"].IsScalar() ||
      root["kind"].Scalar() != "MachineConfig")
    throw ConfigError({file, 1, 1}, "expected kind: MachineConfig");
  MachineConfig& mc = result.config;
  mc.where = fields.At(root);
  fields.CheckKeys(root, "$", {"apiVersion", "kind", "metadata", "spec"});
  const std::string api = fields.String(root, "apiVersion", "$.apiVersion").value_or("");
  if (api != "machineconfiguration.openshift.io/v1")
    fields.Error(root, "$.apiVersion",
                 "expected machineconfiguration.openshift.io/v1, found \"" + api + "\"");
  if (const YAML::Node meta = fields.Map(root, "metadata", "$.metadata")) {
    mc.name = fields.String(meta, "name", "$.metadata.name").value_or("");
    if (const YAML::Node labels = fields.Map(meta, "labels", "$.metadata.labels"))
      for (auto it = labels.begin(); it != labels.end(); ++it)
        if (it->second.IsScalar()) mc.labels[it->first.Scalar()] = it->second.Scalar();
  }
  if (mc.name.empty()) fields.Error(root, "$.metadata.name", "metadata.name is required");
  const YAML::Node spec = fields.Map(root, "spec", "$.spec");
  if (!spec) return result;
  fields.CheckKeys(spec, "$.spec",
                   {"config", "extensions", "kernelArguments", "fips", "kernelType", "osImageURL",
                    "baseOSExtensionsContainerImage"});
  mc.extensions = fields.Strings(spec, "extensions", "$.spec.extensions");
  mc.kernelArguments = fields.Strings(spec, "kernelArguments", "$.spec.kernelArguments");
  mc.fips = fields.Bool(spec, "fips", "$.spec.fips");
  mc.kernelType = fields.String(spec, "kernelType", "$.spec.kernelType").value_or("");
  const YAML::Node config = fields.Map(spec, "config", "$.spec.config");
  if (!config) return result;
  if (const YAML::Node ignition = fields.Map(config, "ignition", "$.spec.config.ignition"))
    mc.ignitionVersion =
        fields.String(ignition, "version", "$.spec.config.ignition.version").value_or("");
  if (mc.ignitionVersion.empty())
    fields.Error(config, "$.spec.config.ignition.version", "Ignition version is required");
  if (const YAML::Node storage = fields.Map(config, "storage", "$.spec.config.storage")) {
    const YAML::Node files = fields.Sequence(storage, "files", "$.spec.config.storage.files");
    for (size_t i = 0; files && i < files.size(); ++i) {
      const std::string path = "$.spec.config.storage.files." + std::to_string(i);
      const YAML::Node n = files[i];
      if (!n.IsMap()) continue;
      ConfigFile f;
      f.where = fields.At(n);
      f.path = fields.String(n, "path", path + ".path").value_or("");
      f.overwrite = fields.Bool(n, "overwrite", path + ".overwrite").value_or(false);
      if (auto mode = fields.Integer(n, "mode", path + ".mode")) {
        f.mode = static_cast<int>(*mode);
        if (*mode & ~0777LL)
          fields.Error(n["mode"], path + ".mode", "special mode bits are not supported");
      }
      if (const YAML::Node c = fields.Map(n, "contents", path + ".contents")) {
        f.compression =
            fields.String(c, "compression", path + ".contents.compression").value_or("");
        if (auto source = fields.String(c, "source", path + ".contents.source")) {
          std::string why;
          auto decoded = DecodeDataUrl(*source, f.compression, &why);
          if (!decoded)
            fields.Error(c["source"], path + ".contents.source", why);
          else
            f.contents = std::move(*decoded);
          f.source = *source;
        }
      }
      mc.files.push_back(std::move(f));
    }
  }
  if (const YAML::Node systemd = fields.Map(config, "systemd", "$.spec.config.systemd")) {
    const YAML::Node units = fields.Sequence(systemd, "units", "$.spec.config.systemd.units");
    for (size_t i = 0; units && i < units.size(); ++i) {
      const std::string path = "$.spec.config.systemd.units." + std::to_string(i);
      const YAML::Node n = units[i];
      if (!n.IsMap()) continue;
      SystemdUnit u;
      u.where = fields.At(n);
      u.name = fields.String(n, "name", path + ".name").value_or("");
      u.enabled = fields.Bool(n, "enabled", path + ".enabled");
      u.mask = fields.Bool(n, "mask", path + ".mask");
      u.contents = fields.String(n, "contents", path + ".contents");
      mc.units.push_back(std::move(u));
    }
  }
  return result;
}

}  // namespace ipsecsim::butane
