#include "external_setup.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "artifact_kind.h"
#include "bundle_identity.h"
#include "butane_reader.h"
#include "check_run.h"
#include "cluster_certificates.h"
#include "conf_parser.h"
#include "import_script.h"
#include "machine_config_io.h"
#include "machine_config_merge.h"
#include "nss_import.h"
#include "ovs_monitor_conf.h"
#include "pem.h"
#include "pkcs12_file.h"
#include "user_file.h"

namespace ipsecsim::harness {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxArtifactBytes = 4 << 20;
// The unit the documented MachineConfig runs the import script from.
constexpr const char* kImportUnit = "ipsec-import.service";

struct Failure {
  const Scenario& scenario;
  int line;
  std::string key;
  [[noreturn]] void operator()(const std::string& message) const {
    throw ScenarioError(scenario.file, line, key, message);
  }
};

std::string Slurp(const std::string& path, const Failure& fail) {
  std::string text;
  const UserFile status = ReadUserFile(path, kMaxArtifactBytes, text);
  if (status == UserFile::kTooLarge) fail(path + ": larger than 4 MiB");
  if (status != UserFile::kRead) fail(path + ": " + UserFileProblem(status));
  return text;
}

std::vector<pki::Certificate> ReadPem(const std::string& text, const std::string& display,
                                      const Failure& fail) {
  pki::ParseError error;
  auto certs = pki::ParseCertificatesPem(text, &error);
  if (!certs || certs->empty())
    fail(display + ": expected PEM certificates" + (certs ? "" : ": " + error.Describe()));
  return *certs;
}

// A bundle read with its password: the identity pk12util sees, and the key.
struct ReadBundleResult {
  pkcs12::BundleIdentity identity;
  std::optional<CryptoPP::RSA::PrivateKey> key;
};

std::optional<ReadBundleResult> ReadBundleFile(const Bytes& data, const std::string& password,
                                               std::string* why) {
  try {
    const pkcs12::Bundle bundle = pkcs12::ReadBundle(data, password);
    ReadBundleResult r{pkcs12::IdentifyBundle(bundle), std::nullopt};
    for (const pkcs12::Bag& bag : bundle.bags)
      if (bag.kind == pkcs12::Bag::Kind::kPrivateKey && !r.key)
        r.key = external::KeyFor(bag.der, r.identity.leaf);
    return r;
  } catch (const pkcs12::BundleError& e) {
    *why = e.what();
    return std::nullopt;
  }
}

// The NSS database the import commands leave, with the material behind each
// nickname. `certificatesAt`/`bundleAt` give a script path's contents.
external::NssStore StoreAfterImport(const check::ImportRun& run,
                                    const std::vector<pki::Certificate>& added,
                                    const std::vector<ReadBundleResult>& bundles) {
  external::NssStore store;
  for (const pkcs12::NssEntry& e : run.db.Entries()) {
    external::NssCertificate c;
    c.nickname = e.nickname;
    bool found = false;
    for (const pki::Certificate& cert : added)
      if (cert.subjectName == e.subject) {
        c.certificate = cert;
        c.trusted = true;
        found = true;
      }
    for (const ReadBundleResult& b : bundles) {
      if (b.identity.leaf.subjectName == e.subject) {
        if (!found) c.certificate = b.identity.leaf;
        if (e.hasKey) c.key = b.key;
        found = true;
      }
      for (const pki::Certificate& other : b.identity.others)
        if (!found && other.subjectName == e.subject) {
          c.certificate = other;
          found = true;
        }
    }
    if (found) store.Add(std::move(c));
  }
  return store;
}

std::string ImportScriptPath(const butane::MachineConfig& mc) {
  const butane::SystemdUnit* unit = mc.FindUnit(kImportUnit);
  if (!unit || !unit->contents) return "";
  const std::string& text = *unit->contents;
  const size_t at = text.find("ExecStart=");
  if (at == std::string::npos) return "";
  const size_t start = at + 10, end = text.find_first_of(" \n", start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool EnablesIpsecService(const butane::MachineConfig& mc) {
  for (const butane::SystemdUnit& unit : mc.units) {
    if (unit.name == "ipsec.service" && unit.enabled.value_or(false)) return true;
    if (unit.contents && unit.contents->find("enable --now ipsec.service") != std::string::npos &&
        unit.enabled.value_or(false))
      return true;
  }
  return false;
}

butane::MachineConfig ReadMachineConfigFile(const ExternalFileRef& ref, const Failure& fail) {
  const std::string text = Slurp(ref.path, fail);
  const check::ArtifactKind kind = check::IdentifyContent(text);
  try {
    butane::ReadResult r;
    if (kind == check::ArtifactKind::kButane)
      r = butane::ReadButane(text, ref.path, {fs::path(ref.path).parent_path().string(), 4 << 20});
    else if (kind == check::ArtifactKind::kMachineConfig)
      r = butane::ReadMachineConfig(text, ref.path);
    else
      fail(ref.path + ": expected a Butane config or a MachineConfig, got " +
           check::KindName(kind));
    for (const butane::ConfigNotice& n : r.notices)
      if (n.level == butane::ConfigNotice::Level::kError)
        fail(n.where.Describe() + ": " + n.message);
    return r.config;
  } catch (const butane::ConfigError& e) {
    fail(e.what());
  }
}

ExternalSetup::Pool ReadPool(const butane::MachineConfig& mc, const std::string& display) {
  ExternalSetup::Pool pool;
  pool.role = mc.Role();
  pool.name = mc.name;
  pool.source = display;
  pool.libreswanInstalled =
      std::find(mc.extensions.begin(), mc.extensions.end(), "ipsec") != mc.extensions.end();
  pool.ipsecServiceEnabled = EnablesIpsecService(mc);
  // /etc/ipsec.conf includes /etc/ipsec.d/*.conf, which glob() sorts; with
  // pod-to-pod IPsec, OVN's openshift.conf is one of them.
  struct IncludedFile {
    std::string path, display, text;
  };
  std::vector<IncludedFile> confs;
  for (const butane::ConfigFile& f : mc.files) {
    const fs::path p(f.path);
    if (p.parent_path() == "/etc/ipsec.d" && p.extension() == ".conf" &&
        f.path != check::kOpenshiftConf)
      confs.push_back({f.path, f.local.empty() ? display + ":" + f.path : f.local,
                       std::string(f.contents.begin(), f.contents.end())});
  }
  for (const IncludedFile& f : confs) {
    // An include names the node's own files, which only the MachineConfig
    // holds here: reading them from this machine's disk would be wrong.
    std::istringstream lines(f.text);
    int number = 0;
    for (std::string line; std::getline(lines, line);) {
      ++number;
      if (line.rfind("include", 0) == 0 &&
          (line.size() == 7 || std::isspace(static_cast<unsigned char>(line[7])))) {
        pool.unmodelled = f.display + ":" + std::to_string(number) +
                          ": include in a MachineConfig's file is not modelled in a run "
                          "(ipsecsim check reads it)";
        return pool;
      }
    }
  }
  // The files in glob() order, each parsed as pluto parses it; a syntax
  // error anywhere refuses the whole tree.
  auto read = [&pool](std::vector<IncludedFile> files) {
    std::sort(files.begin(), files.end(),
              [](const IncludedFile& a, const IncludedFile& b) { return a.path < b.path; });
    libreswan::ConfTree tree;
    for (const IncludedFile& f : files) {
      libreswan::ConfTree part = libreswan::ReadConfText(f.text, f.display);
      tree.sections.insert(tree.sections.end(), part.sections.begin(), part.sections.end());
      tree.files.insert(tree.files.end(), part.files.begin(), part.files.end());
      tree.notices.insert(tree.notices.end(), part.notices.begin(), part.notices.end());
    }
    return libreswan::Resolve(tree);
  };
  try {
    pool.confAlone = read(confs);
    confs.push_back({check::kOpenshiftConf,
                     std::string(check::kOpenshiftConf) + " " + external::kOvnHeaderLabel,
                     check::kOvsMonitorConfHeader});
    pool.confWithOvn = read(confs);
  } catch (const libreswan::ConfError& e) {
    pool.confError = e.what();
  }

  const std::string scriptPath = ImportScriptPath(mc);
  const butane::ConfigFile* script = scriptPath.empty() ? nullptr : mc.FindFile(scriptPath);
  if (!script) {
    pool.importLog.push_back(std::string(kImportUnit) + ": no import script in " + display);
    return pool;
  }
  const check::ImportScript commands =
      check::ParseImportScript(std::string(script->contents.begin(), script->contents.end()));
  std::vector<pki::Certificate> added;
  std::vector<ReadBundleResult> bundles;
  check::ImportFiles files;
  files.certificates =
      [&](const std::string& path) -> std::optional<std::vector<pki::Certificate>> {
    const butane::ConfigFile* f = mc.FindFile(path);
    if (!f) return std::nullopt;
    pki::ParseError error;
    auto certs =
        pki::ParseCertificatesPem(std::string(f->contents.begin(), f->contents.end()), &error);
    if (certs && !certs->empty()) added.push_back(certs->front());
    return certs;
  };
  files.bundle = [&](const std::string& path,
                     const check::ScriptCommand& c) -> std::optional<pkcs12::BundleIdentity> {
    const butane::ConfigFile* f = mc.FindFile(path);
    if (!f) return std::nullopt;
    std::string why;
    auto r = ReadBundleFile(f->contents, c.password, &why);
    if (!r) return std::nullopt;
    bundles.push_back(*r);
    return r->identity;
  };
  const check::ImportRun run = check::RunImportScript(commands, files);
  std::string line;
  for (const check::StepResult& step : run.steps)
    for (std::istringstream lines(step.output); std::getline(lines, line);)
      if (!line.empty()) pool.importLog.push_back(line);
  pool.nss = StoreAfterImport(run, added, bundles);
  return pool;
}

ExternalSetup::Host ReadHost(const ExternalHostSpec& spec, const Scenario& sc) {
  const Failure fail{sc, spec.line, "external.hosts"};
  ExternalSetup::Host host;
  host.name = spec.name;
  const in_addr_t a = inet_addr(spec.address.c_str());
  host.address = ike::IpAddress::V4(ntohl(a));
  const std::string caText = Slurp(spec.ca.path, fail);
  const auto cas = ReadPem(caText, spec.ca.path, fail);
  const std::string bundleText = Slurp(spec.bundle.path, fail);
  std::string why;
  const auto bundle =
      ReadBundleFile(Bytes(bundleText.begin(), bundleText.end()), spec.password, &why);
  if (!bundle) fail(spec.bundle.path + ": " + why);
  // The host's own database: certutil -A -t CT,, for each CA, then pk12util -i.
  pkcs12::NssDatabase db;
  external::NssStore store;
  for (const pki::Certificate& ca : cas) {
    const std::string nickname = "ca-" + std::to_string(store.Entries().size());
    db.Add({nickname, ca.subjectName, false});
    store.Add({nickname, ca, std::nullopt, true});
  }
  const pkcs12::NicknameChoice choice = pkcs12::ImportBundle(db, bundle->identity);
  if (choice.rule == pkcs12::NicknameChoice::Rule::kFailed)
    fail(spec.bundle.path + ": " + choice.output);
  store.Add({choice.nickname, bundle->identity.leaf, bundle->key, false});
  libreswan::ResolvedConfig conf;
  try {
    conf = libreswan::Resolve(
        libreswan::ReadConfText(Slurp(spec.ipsecConf.path, fail), spec.ipsecConf.path));
  } catch (const libreswan::ConfError& e) {
    fail(e.what());
  }
  try {
    host.load = external::LoadConnections(conf, store, host.address);
  } catch (const external::ExternalConfigError& e) {
    fail(e.what());
  }
  return host;
}

}  // namespace

const ExternalSetup::Pool* ExternalSetup::PoolFor(const std::string& poolName) const {
  for (const Pool& p : pools)
    if (p.role == poolName) return &p;
  return nullptr;
}

namespace {

// One MachineConfig file and the procedure step that applies it, if any.
struct MachineConfigSource {
  ExternalFileRef ref;
  std::optional<size_t> step;
  std::string key;  // where the scenario names it
};

std::vector<MachineConfigSource> MachineConfigSources(const Scenario& sc) {
  std::vector<MachineConfigSource> out;
  for (const ExternalFileRef& ref : sc.external->machineConfigs)
    out.push_back({ref, std::nullopt, "external.machine_configs"});
  if (sc.lifecycle)
    for (size_t i = 0; i < sc.lifecycle->steps.size(); ++i)
      for (const ExternalFileRef& ref : sc.lifecycle->steps[i].applied)
        out.push_back({ref, i, "lifecycle.procedure.steps.apply"});
  return out;
}

// Which of a node's two loads the run can ask for: IPsec Full at install
// or after some step, and IPsec not Full at install or after some step.
std::pair<bool, bool> LoadsNeeded(const Scenario& sc) {
  bool full = sc.cluster.ipsecMode == IpsecMode::kFull, alone = !full;
  if (sc.lifecycle)
    for (const ProcedureStepSpec& step : sc.lifecycle->steps)
      (step.ipsecFullAfter ? full : alone) = true;
  return {full, alone};
}

}  // namespace

std::shared_ptr<const ExternalSetup> PrepareExternal(const Scenario& sc) {
  auto setup = std::make_shared<ExternalSetup>();
  if (!sc.external) return setup;
  // Each role's MachineConfigs, read and checked one by one, then merged as
  // the MCO renders them (butane::MergeMachineConfigs).
  struct RoleConfigs {
    std::vector<butane::MachineConfig> configs;
    std::vector<std::string> paths;
    std::optional<size_t> step;
  };
  std::map<std::string, RoleConfigs> roles;
  std::vector<std::string> order;  // roles in the order the scenario names them
  for (const MachineConfigSource& source : MachineConfigSources(sc)) {
    const ExternalFileRef& ref = source.ref;
    const Failure fail{sc, ref.line, source.key};
    butane::MachineConfig mc = ReadMachineConfigFile(ref, fail);
    if (mc.Role().empty())
      fail(ref.path +
           ": expected a machineconfiguration.openshift.io/role label (the pool it "
           "applies to)");
    auto [it, added] = roles.try_emplace(mc.Role());
    RoleConfigs& role = it->second;
    if (added) {
      order.push_back(mc.Role());
      role.step = source.step;
    } else if (role.step != source.step) {
      fail(ref.path + ": a MachineConfig for role " + mc.Role() + " " +
           (source.step ? "applied at step " + std::to_string(*source.step + 1)
                        : std::string("in place at install")) +
           ", and another " +
           (role.step ? "applied at step " + std::to_string(*role.step + 1)
                      : std::string("in place at install")) +
           " (" + role.paths.front() +
           "): a pool whose own configuration changes twice is not modelled");
    }
    role.configs.push_back(std::move(mc));
    role.paths.push_back(ref.path);
  }
  for (const std::string& name : order) {
    const RoleConfigs& role = roles.at(name);
    // The check reads the role's files together, as the pool renders them
    // (its `-d` directory: the first file's).
    check::CheckOptions options;
    options.files = role.paths;
    options.filesDir = fs::path(role.paths.front()).parent_path().string();
    options.date = kInstallEpoch;
    options.machineNetworks = {sc.cluster.network.machineNetwork.ToString()};
    for (const check::Finding& f : check::RunCheck(options).items)
      if (f.level != check::Level::kNote) setup->findings.push_back({name, f});
    std::string source;
    for (const std::string& path : role.paths) source += (source.empty() ? "" : " + ") + path;
    setup->pools.push_back(ReadPool(butane::MergeMachineConfigs(role.configs), source));
    setup->pools.back().appliedAtStep = role.step;
    if (!setup->pools.back().unmodelled.empty())
      Failure{sc, sc.external->line, "external.machine_configs"}(setup->pools.back().unmodelled);
  }
  for (const ExternalHostSpec& host : sc.external->hosts)
    setup->hosts.push_back(ReadHost(host, sc));
  const std::vector<std::string> names = sc.NodeNames();
  const auto [withOvn, alone] = LoadsNeeded(sc);
  for (uint32_t i = 0; i < names.size(); ++i) {
    const std::string pool = names[i].substr(0, names[i].rfind('-'));
    const ExternalSetup::Pool* p = setup->PoolFor(pool);
    if (!p || !p->libreswanInstalled) continue;
    const ike::IpAddress nodeIp = ike::IpAddress::V4(sc.cluster.network.machineNetwork.address +
                                                     sim::NetworkPlan::kFirstNodeHost + i);
    ExternalSetup::Node node;
    node.pool = p;
    if (!p->confError.empty()) {
      // addconn's own words (Debian 12 libreswan 4.10, run), then what follows.
      const std::string log =
          "addconn --checkconfig: cannot load config '/etc/ipsec.conf': " + p->confError +
          "; pluto is not started";
      node.withOvn.log.push_back(log);
      node.alone.log.push_back(log);
      setup->nodes.emplace(names[i], std::move(node));
      continue;
    }
    try {
      if (withOvn) node.withOvn = external::LoadConnections(p->confWithOvn, p->nss, nodeIp);
      if (alone) node.alone = external::LoadConnections(p->confAlone, p->nss, nodeIp);
    } catch (const external::ExternalConfigError& e) {
      Failure{sc, sc.external->line, "external.machine_configs"}(
          std::string(e.what()) + " (on node " + names[i] + ", from " + p->source + ")");
    }
    setup->nodes.emplace(names[i], std::move(node));
  }
  return setup;
}

}  // namespace ipsecsim::harness
