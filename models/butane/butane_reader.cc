#include "butane_reader.h"

#include <filesystem>

#include "data_url.h"
#include "user_file.h"
#include "yaml_fields.h"

namespace ipsecsim::butane {

namespace {

namespace fs = std::filesystem;

// The spec's sections ipsecsim reads but does not act on.
const std::set<std::string> kTopKeys = {"variant",     "version", "metadata", "ignition",
                                        "storage",     "systemd", "passwd",   "kernel_arguments",
                                        "boot_device", "grub",    "openshift"};

// base/util/file.go CheckForDecimalMode: a mode written in decimal whose
// digits would make a usual octal mode.
bool LooksLikeDecimalMode(long long mode) {
  if (mode < 100 || mode > 7777) return false;
  for (long long v = mode; v; v /= 10)
    if (v % 10 > 7) return false;
  return true;
}

class Reader {
 public:
  Reader(const std::string& file, const ButaneOptions& options)
      : file_(file), options_(options), fields_(file, &result_.notices) {}

  ReadResult Read(const std::string& text) {
    const YAML::Node root = LoadYaml(text, file_);
    if (!root.IsMap())
      throw ConfigError({file_, root.Mark().line + 1, 1},
                        "expected a Butane config (a YAML mapping with variant and version)");
    result_.config.where = fields_.At(root);
    const auto variant = fields_.String(root, "variant", "$.variant");
    if (!variant || variant->empty())
      throw ConfigError({file_, 1, 1}, "error parsing variant; must be specified");
    if (*variant != "openshift")
      throw ConfigError(
          fields_.At(root["variant"]),
          "variant " + *variant + ": ipsecsim reads the openshift variant (version 4.14.0)");
    const auto version = fields_.String(root, "version", "$.version");
    if (!version) throw ConfigError({file_, 1, 1}, "error parsing version; must be a valid semver");
    if (*version != "4.14.0")
      fields_.Warn(root["version"], "$.version",
                   "version " + *version + " read with the openshift 4.14.0 spec");
    fields_.CheckKeys(root, "$", kTopKeys,
                      {{"kernel_arguments",
                        "this section cannot be used for kernel arguments in this spec version; "
                        "use openshift.kernel_arguments instead"},
                       {"grub", "grub is not supported in this spec version"}});
    MachineConfig& mc = result_.config;
    mc.ignitionVersion = "3.4.0";
    ReadMetadata(root);
    ReadOpenShift(root);
    ReadStorage(root);
    ReadSystemd(root);
    for (const char* unmodelled : {"ignition", "passwd", "boot_device"})
      if (root[unmodelled])
        result_.notices.push_back(
            {ConfigNotice::Level::kWarning, fields_.At(root[unmodelled]),
             std::string("$.") + unmodelled + ": read but not modelled by ipsecsim"});
    return std::move(result_);
  }

 private:
  void ReadMetadata(const YAML::Node& root) {
    const YAML::Node meta = fields_.Map(root, "metadata", "$.metadata");
    if (!meta) {
      fields_.Error(root, "$.metadata.name", "metadata.name is required");
      fields_.Error(root, "$.metadata.labels",
                    "machineconfiguration.openshift.io/role label is required");
      return;
    }
    fields_.CheckKeys(meta, "$.metadata", {"name", "labels"});
    result_.config.name = fields_.String(meta, "name", "$.metadata.name").value_or("");
    if (result_.config.name.empty())
      fields_.Error(meta, "$.metadata.name", "metadata.name is required");
    const YAML::Node labels = fields_.Map(meta, "labels", "$.metadata.labels");
    for (auto it = labels.begin(); labels && it != labels.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (!it->second.IsScalar()) {
        fields_.Error(it->second, "$.metadata.labels." + key, "expected a string");
        continue;
      }
      result_.config.labels[key] = it->second.Scalar();
    }
    if (result_.config.Role().empty())
      fields_.Error(labels ? labels : meta, "$.metadata.labels",
                    "machineconfiguration.openshift.io/role label is required");
  }

  void ReadOpenShift(const YAML::Node& root) {
    const YAML::Node os = fields_.Map(root, "openshift", "$.openshift");
    if (!os) return;
    fields_.CheckKeys(os, "$.openshift", {"kernel_arguments", "extensions", "fips", "kernel_type"});
    MachineConfig& mc = result_.config;
    mc.extensions = fields_.Strings(os, "extensions", "$.openshift.extensions");
    mc.kernelArguments = fields_.Strings(os, "kernel_arguments", "$.openshift.kernel_arguments");
    mc.fips = fields_.Bool(os, "fips", "$.openshift.fips");
    mc.kernelType = fields_.String(os, "kernel_type", "$.openshift.kernel_type").value_or("");
    if (!mc.kernelType.empty() && mc.kernelType != "default" && mc.kernelType != "realtime")
      fields_.Error(os["kernel_type"], "$.openshift.kernel_type",
                    "must be one of 'default' or 'realtime'");
  }

  void ReadStorage(const YAML::Node& root) {
    const YAML::Node storage = fields_.Map(root, "storage", "$.storage");
    if (!storage) return;
    fields_.CheckKeys(storage, "$.storage",
                      {"disks", "raid", "filesystems", "files", "luks", "trees"},
                      {{"directories", "directories are not supported in this spec version"},
                       {"links", "links are not supported in this spec version"}});
    for (const char* unmodelled : {"disks", "raid", "filesystems", "luks", "trees"})
      if (storage[unmodelled])
        result_.notices.push_back(
            {ConfigNotice::Level::kWarning, fields_.At(storage[unmodelled]),
             std::string("$.storage.") + unmodelled + ": read but not modelled by ipsecsim"});
    const YAML::Node files = fields_.Sequence(storage, "files", "$.storage.files");
    for (size_t i = 0; files && i < files.size(); ++i)
      ReadFile(files[i], "$.storage.files." + std::to_string(i));
  }

  void ReadFile(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap()) {
      fields_.Error(node, path, "expected a mapping");
      return;
    }
    fields_.CheckKeys(node, path, {"path", "overwrite", "contents", "mode", "user", "group"},
                      {{"append", "appending to files is not supported in this spec version"}});
    ConfigFile f;
    f.where = fields_.At(node);
    f.path = fields_.String(node, "path", path + ".path").value_or("");
    if (f.path.empty() || f.path[0] != '/')
      fields_.Error(node, path + ".path", "path must be absolute");
    f.overwrite = fields_.Bool(node, "overwrite", path + ".overwrite").value_or(false);
    bool octal = false;
    if (auto mode = fields_.Integer(node, "mode", path + ".mode", &octal)) {
      f.mode = static_cast<int>(*mode);
      if (*mode & ~0777LL)
        fields_.Error(node["mode"], path + ".mode",
                      "special mode bits are not supported in this spec version");
      if (!octal && LooksLikeDecimalMode(*mode))
        fields_.Warn(node["mode"], path + ".mode",
                     "unreasonable mode would be reasonable if specified in octal; remember to "
                     "add a leading zero");
    }
    for (const char* owner : {"user", "group"})
      if (const YAML::Node o = fields_.Map(node, owner, path + "." + owner))
        fields_.CheckKeys(o, path + "." + owner, {"id", "name"});
    const YAML::Node contents = fields_.Map(node, "contents", path + ".contents");
    if (!contents && f.overwrite)
      fields_.Error(node, path + ".overwrite", "overwrite must be false if source is unspecified");
    if (contents) ReadContents(contents, path + ".contents", f);
    result_.config.files.push_back(std::move(f));
  }

  void ReadContents(const YAML::Node& node, const std::string& path, ConfigFile& f) {
    fields_.CheckKeys(
        node, path, {"source", "inline", "local", "compression", "verification"},
        {{"http_headers", "file HTTP headers are not supported in this spec version"}});
    const auto source = fields_.String(node, "source", path + ".source");
    const auto inlined = fields_.String(node, "inline", path + ".inline");
    const auto local = fields_.String(node, "local", path + ".local");
    f.compression = fields_.String(node, "compression", path + ".compression").value_or("");
    if (int(bool(source)) + int(bool(inlined)) + int(bool(local)) > 1) {
      fields_.Error(node, path, "only one of the following can be set: inline, local, source");
      return;
    }
    if (source) {
      std::string why;
      if (source->rfind("data:", 0) != 0) {
        fields_.Error(node["source"], path + ".source",
                      "file contents source must be data URL in this spec version");
        return;
      }
      auto decoded = DecodeDataUrl(*source, f.compression, &why);
      if (!decoded) {
        fields_.Error(node["source"], path + ".source", why);
        return;
      }
      f.contents = std::move(*decoded);
      f.source = *source;
      return;
    }
    Bytes raw;
    if (inlined) {
      raw.assign(inlined->begin(), inlined->end());
    } else if (local) {
      f.local = *local;
      if (!ReadLocal(node["local"], path + ".local", *local, raw)) return;
    } else {
      return;
    }
    // Contents the user compressed themselves keep their encoding choice.
    const EncodedContents encoded = MakeDataUrl(raw, f.compression.empty());
    if (f.compression.empty()) {
      f.compression = encoded.compression;
      f.contents = raw;
    } else {
      std::string why;
      auto decoded = DecodeDataUrl(encoded.source, f.compression, &why);
      if (!decoded) {
        fields_.Error(node, path + ".compression", why);
        return;
      }
      f.contents = std::move(*decoded);
    }
    f.source = encoded.source;
  }

  bool ReadLocal(const YAML::Node& at, const std::string& path, const std::string& local,
                 Bytes& out) {
    if (options_.filesDir.empty()) {
      fields_.Error(at, path,
                    "local file paths are relative to a files directory that must be specified "
                    "with -d/--files-dir");
      return false;
    }
    std::error_code ec;
    const fs::path base = fs::weakly_canonical(fs::absolute(options_.filesDir, ec), ec);
    const fs::path target = fs::weakly_canonical(base / local, ec);
    const std::string b = base.string(), t = target.string();
    if (t != b && t.rfind(b + "/", 0) != 0) {
      fields_.Error(at, path, "local file path traverses outside the files directory");
      return false;
    }
    std::string data;
    const UserFile status = ReadUserFile(t, options_.maxLocalFileBytes, data);
    if (status == UserFile::kNotRegular) {
      // ipsecsim's own refusal: butane would wait for a FIFO's writer.
      fields_.Error(at, path, t + ": is not a regular file; expected a file to embed");
      return false;
    }
    if (status == UserFile::kMissing || status == UserFile::kUnreadable) {
      fields_.Error(at, path, "open " + t + ": no such file");
      return false;
    }
    if (status == UserFile::kTooLarge) {
      fields_.Error(at, path,
                    t + ": larger than " + std::to_string(options_.maxLocalFileBytes) + " bytes");
      return false;
    }
    out.assign(data.begin(), data.end());
    return true;
  }

  void ReadSystemd(const YAML::Node& root) {
    const YAML::Node systemd = fields_.Map(root, "systemd", "$.systemd");
    if (!systemd) return;
    fields_.CheckKeys(systemd, "$.systemd", {"units"});
    const YAML::Node units = fields_.Sequence(systemd, "units", "$.systemd.units");
    for (size_t i = 0; units && i < units.size(); ++i) {
      const std::string path = "$.systemd.units." + std::to_string(i);
      const YAML::Node u = units[i];
      if (!u.IsMap()) {
        fields_.Error(u, path, "expected a mapping");
        continue;
      }
      fields_.CheckKeys(u, path,
                        {"name", "enabled", "mask", "contents", "contents_local", "dropins"});
      SystemdUnit unit;
      unit.where = fields_.At(u);
      unit.name = fields_.String(u, "name", path + ".name").value_or("");
      const size_t dot = unit.name.rfind('.');
      if (unit.name.empty() || dot == std::string::npos || dot + 1 == unit.name.size())
        fields_.Error(u, path + ".name", "invalid systemd unit extension");
      unit.enabled = fields_.Bool(u, "enabled", path + ".enabled");
      unit.mask = fields_.Bool(u, "mask", path + ".mask");
      unit.contents = fields_.String(u, "contents", path + ".contents");
      if (auto local = fields_.String(u, "contents_local", path + ".contents_local")) {
        if (unit.contents) {
          fields_.Error(u, path, "only one of the following can be set: contents, contents_local");
        } else {
          Bytes raw;
          if (ReadLocal(u["contents_local"], path + ".contents_local", *local, raw))
            unit.contents = std::string(raw.begin(), raw.end());
        }
      }
      if (u["dropins"])
        result_.notices.push_back({ConfigNotice::Level::kWarning, fields_.At(u["dropins"]),
                                   path + ".dropins: read but not modelled by ipsecsim"});
      result_.config.units.push_back(std::move(unit));
    }
  }

  std::string file_;
  ButaneOptions options_;
  ReadResult result_;
  YamlFields fields_;
};

}  // namespace

ReadResult ReadButane(const std::string& text, const std::string& file,
                      const ButaneOptions& options) {
  return Reader(file, options).Read(text);
}

}  // namespace ipsecsim::butane
