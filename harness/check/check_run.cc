#include "check_run.h"

#include <filesystem>
#include <map>

#include "artifact_kind.h"
#include "butane_reader.h"
#include "check_bundle.h"
#include "check_conf.h"
#include "check_machineconfig.h"
#include "import_script.h"
#include "machine_config_io.h"
#include "machine_config_merge.h"
#include "pem.h"
#include "user_file.h"

namespace ipsecsim::check {

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxFileBytes = 16 << 20;

struct ConfArtifact {
  std::string display;
  std::string installName;
  std::string text;
};

struct ScriptArtifact {
  std::string display;
  std::string text;
};

struct Inputs {
  std::vector<ConfArtifact> confs;
  std::vector<BundleArtifact> bundles;
  std::vector<CaArtifact> cas;
  std::vector<ScriptArtifact> scripts;
  std::vector<std::pair<std::string, butane::MachineConfig>> machineConfigs;
};

std::optional<std::string> Slurp(const std::string& path, std::string* why) {
  std::string data;
  const UserFile status = ReadUserFile(path, kMaxFileBytes, data);
  if (status == UserFile::kTooLarge) {
    *why = "larger than 16 MiB";
    return std::nullopt;
  }
  if (status != UserFile::kRead) {
    *why = std::string("expected a file to check, but it ") + UserFileProblem(status);
    return std::nullopt;
  }
  return data;
}

std::optional<std::vector<pki::Certificate>> ReadCertificates(const std::string& pem,
                                                              const std::string& display,
                                                              Findings& findings) {
  pki::ParseError error;
  auto certs = pki::ParseCertificatesPem(pem, &error);
  if (!certs || certs->empty()) {
    findings.Add(Level::kMalformed, display, 0, "pem",
                 certs ? "no CERTIFICATE block" : "certificate: " + error.Describe());
    return std::nullopt;
  }
  return certs;
}

// A file a MachineConfig writes, added to the inputs unless the user gave the
// same content as a file of its own, which then learns its install path.
void AddEmbedded(const butane::ConfigFile& f, const std::string& mcDisplay,
                 const std::string& filesDir, Inputs& in, Findings& findings) {
  const std::string content(f.contents.begin(), f.contents.end());
  const std::string display = !f.local.empty()
                                  ? (fs::path(filesDir) / f.local).lexically_normal().string()
                                  : mcDisplay + ":" + f.path;
  const std::string base = fs::path(f.path).filename().string();
  switch (IdentifyContent(content)) {
    case ArtifactKind::kLibreswanConf:
      for (ConfArtifact& c : in.confs)
        if (c.text == content) {
          c.installName = base;
          return;
        }
      in.confs.push_back({display, base, content});
      return;
    case ArtifactKind::kPkcs12:
      for (BundleArtifact& b : in.bundles)
        if (b.data == f.contents) {
          b.installPath = f.path;
          return;
        }
      in.bundles.push_back({display, f.path, f.contents, std::nullopt, false});
      return;
    case ArtifactKind::kPemCertificates: {
      for (CaArtifact& c : in.cas)
        if (!c.certs.empty() && (c.installPath.empty() || c.installPath == f.path)) {
          pki::ParseError error;
          auto certs = pki::ParseCertificatesPem(content, &error);
          if (certs && !certs->empty() && certs->front().der == c.certs.front().der) {
            c.installPath = f.path;
            return;
          }
        }
      if (auto certs = ReadCertificates(content, display, findings))
        in.cas.push_back({display, f.path, *certs});
      return;
    }
    case ArtifactKind::kShellScript:
      if (content.find("pk12util") != std::string::npos ||
          content.find("certutil") != std::string::npos) {
        for (const ScriptArtifact& s : in.scripts)
          if (s.text == content) return;
        in.scripts.push_back({display, content});
      }
      return;
    default:
      return;
  }
}

void ReadGivenFile(const std::string& path, const CheckOptions& options, Inputs& in,
                   Findings& findings) {
  const Artifact a = IdentifyFile(path);
  if (a.kind == ArtifactKind::kMissing) {
    findings.Add(Level::kMalformed, path, 0, "file", a.error);
    return;
  }
  std::string why;
  const auto content = Slurp(path, &why);
  if (!content) {
    findings.Add(Level::kMalformed, path, 0, "file", why);
    return;
  }
  switch (a.kind) {
    case ArtifactKind::kLibreswanConf:
      in.confs.push_back({path, fs::path(path).filename().string(), *content});
      return;
    case ArtifactKind::kPkcs12:
      in.bundles.push_back(
          {path, "", Bytes(content->begin(), content->end()), std::nullopt, false});
      return;
    case ArtifactKind::kPemCertificates:
      if (auto certs = ReadCertificates(*content, path, findings))
        in.cas.push_back({path, "", *certs});
      return;
    case ArtifactKind::kButane:
    case ArtifactKind::kMachineConfig: {
      butane::ReadResult r;
      try {
        r = a.kind == ArtifactKind::kButane
                ? butane::ReadButane(*content, path, {options.filesDir, 4 << 20})
                : butane::ReadMachineConfig(*content, path);
      } catch (const butane::ConfigError& e) {
        findings.Add(Level::kMalformed, path, e.Where().line, "butane",
                     std::string(e.what()).substr(e.Where().Describe().size() + 2) +
                         (a.kind == ArtifactKind::kButane &&
                                  std::string(e.what()).find("already defined") != std::string::npos
                              ? " (the documented loop appends with `cat >>`: was it run twice?)"
                              : ""));
        return;
      }
      bool refused = false;
      for (const butane::ConfigNotice& n : r.notices) {
        const bool unused = n.message.find("Unused key") != std::string::npos;
        Level level = Level::kWarning;
        if (n.level == butane::ConfigNotice::Level::kError) {
          level = Level::kMalformed;
          refused = true;
        } else if (unused) {
          level = Level::kError;
        }
        findings.Add(level, n.where.file, n.where.line, "butane",
                     n.message + (unused ? " (butane warns, fails with --strict, and leaves it "
                                           "out of the MachineConfig)"
                                         : ""));
      }
      if (refused) return;
      in.machineConfigs.emplace_back(path, std::move(r.config));
      return;
    }
    case ArtifactKind::kBinary:
      findings.Add(
          Level::kMalformed, path, 0, "file",
          "binary data (" + std::to_string(a.size) +
              " bytes) of no kind ipsecsim reads; "
              "expected a Libreswan configuration, a PKCS#12 bundle, a PEM CA, or a Butane "
              "or MachineConfig file");
      return;
    default:
      findings.Add(Level::kMalformed, path, 0, "file",
                   "this looks like " + KindName(a.kind) + ", not an external-endpoint file; " +
                       HowToPass(a.kind));
      return;
  }
}

std::string PasswordFor(const BundleArtifact& b, const ImportScript* script,
                        const CheckOptions& options) {
  if (options.passwordGiven) return options.password;
  if (script)
    for (const ScriptCommand& c : script->commands)
      if (c.kind == ScriptCommand::Kind::kImportBundle && c.passwordGiven &&
          (c.file == b.installPath || b.installPath.empty()))
        return c.password;
  return options.password;
}

}  // namespace

Findings RunCheck(const CheckOptions& options) {
  Findings findings;
  Inputs in;
  for (const std::string& file : options.files) ReadGivenFile(file, options, in, findings);
  // What a node of each role boots with: the MCO merges the role's
  // MachineConfigs into one (butane::MergeMachineConfigs).
  std::map<std::string, std::vector<size_t>> byRole;
  std::vector<std::string> roles;
  for (size_t i = 0; i < in.machineConfigs.size(); ++i) {
    auto [it, added] = byRole.try_emplace(in.machineConfigs[i].second.Role());
    if (added) roles.push_back(it->first);
    it->second.push_back(i);
  }
  for (const std::string& role : roles) {
    std::vector<butane::MachineConfig> configs;
    std::string display;
    for (size_t i : byRole.at(role)) {
      configs.push_back(in.machineConfigs[i].second);
      display += (display.empty() ? "" : " + ") + in.machineConfigs[i].first;
    }
    CheckMachineConfig(butane::MergeMachineConfigs(std::move(configs)), display, findings);
  }
  // Embedded files learn their install path only after every given file is read.
  for (auto& [display, mc] : in.machineConfigs)
    for (const butane::ConfigFile& f : mc.files)
      AddEmbedded(f, display, options.filesDir, in, findings);

  std::vector<CertReference> certs;
  for (const ConfArtifact& c : in.confs) {
    const ConfCheck result = CheckConf(c.text, c.display, c.installName, options, findings);
    certs.insert(certs.end(), result.certs.begin(), result.certs.end());
  }
  std::optional<ImportScript> script;
  std::string scriptDisplay;
  if (!in.scripts.empty()) {
    script = ParseImportScript(in.scripts.front().text);
    scriptDisplay = in.scripts.front().display;
  }
  for (const CaArtifact& ca : in.cas) CheckCa(ca, options, findings);
  for (BundleArtifact& b : in.bundles)
    CheckBundle(b, PasswordFor(b, script ? &*script : nullptr, options), in.cas, options, findings);

  bool bundleRead = false;
  for (const BundleArtifact& b : in.bundles) bundleRead = bundleRead || b.identity.has_value();
  if (bundleRead || !certs.empty()) {
    if (!script) {
      script = DocumentedImportScript(
          in.cas.empty() ? "ca.pem" : in.cas.front().display,
          in.bundles.empty() ? "left_server.p12" : in.bundles.front().display);
      scriptDisplay = "(the documented ipsec-addcert.sh)";
    }
    if (bundleRead)
      CheckImport(*script, scriptDisplay, in.bundles, in.cas, certs, options, findings);
    else
      findings.Add(Level::kWarning, certs.front().file, certs.front().line, "nickname",
                   "no readable PKCS#12 bundle given: the conns' leftcert nicknames are not "
                   "checked against an import");
  }
  if (options.files.empty())
    findings.Add(Level::kMalformed, "(command line)", 0, "file", "no file given");
  return findings;
}

}  // namespace ipsecsim::check
