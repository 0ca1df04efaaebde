#include "artifact_kind.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "user_file.h"

namespace ipsecsim::check {

namespace {

constexpr size_t kSniffBytes = 1 << 20;

bool LooksLikePfx(const std::string& c) {
  // SEQUENCE { INTEGER 3, SEQUENCE { OID 1.2.840.113549.1.7.1 ...
  const std::string version("\x02\x01\x03\x30", 4);
  const std::string dataOid("\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", 11);
  if (c.size() < 20 || static_cast<uint8_t>(c[0]) != 0x30) return false;
  const size_t at = c.find(version);
  return at != std::string::npos && at < 8 && c.find(dataOid) != std::string::npos &&
         c.find(dataOid) < 24;
}

bool LooksLikeDerCertificate(const std::string& c) {
  // SEQUENCE { SEQUENCE { [0] { INTEGER version } ... (long lengths)
  return c.size() > 16 && static_cast<uint8_t>(c[0]) == 0x30 &&
         static_cast<uint8_t>(c[1]) == 0x82 && static_cast<uint8_t>(c[4]) == 0x30 &&
         static_cast<uint8_t>(c[5]) == 0x82 && static_cast<uint8_t>(c[8]) == 0xa0;
}

bool IsText(const std::string& c) {
  size_t odd = 0;
  for (unsigned char ch : c) {
    if (ch == 0) return false;
    if (ch < 0x09 || (ch > 0x0d && ch < 0x20 && ch != 0x1b)) ++odd;
  }
  return odd * 100 <= c.size();
}

bool LooksLikeLibreswan(const std::string& c) {
  size_t pos = 0;
  while (pos < c.size()) {
    size_t end = c.find('\n', pos);
    if (end == std::string::npos) end = c.size();
    const std::string line = c.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("conn ", 0) == 0 || line.rfind("config setup", 0) == 0 ||
        line.rfind("include ", 0) == 0)
      return true;
  }
  return false;
}

// A Butane config or a MachineConfig by its top-level lines alone: for a
// head that YAML cannot load, cut at kSniffBytes inside a long data URL or
// too deep for the reader, so that the file goes to the reader of its kind,
// which says what is wrong with it, rather than being named text of no kind.
ArtifactKind FromTopLevelLines(const std::string& c) {
  size_t pos = 0;
  while (pos < c.size()) {
    size_t end = c.find('\n', pos);
    if (end == std::string::npos) end = c.size();
    std::string line = c.substr(pos, std::min<size_t>(end - pos, 64));
    pos = end + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.rfind("variant:", 0) == 0) return ArtifactKind::kButane;
    if (line == "kind: MachineConfig") return ArtifactKind::kMachineConfig;
  }
  return ArtifactKind::kText;
}

ArtifactKind FromYaml(const std::string& c) {
  YAML::Node root;
  try {
    root = YAML::Load(c);
  } catch (const YAML::Exception&) {
    return FromTopLevelLines(c);
  }
  if (!root.IsMap()) return ArtifactKind::kText;
  try {
    if (root["variant"]) return ArtifactKind::kButane;
    if (root["kind"] && root["kind"].IsScalar() && root["kind"].Scalar() == "MachineConfig")
      return ArtifactKind::kMachineConfig;
    const YAML::Node spec = root["spec"];
    if (spec && spec.IsMap() && (spec["defaultNetwork"] || spec["ovnKubernetesConfig"]))
      return ArtifactKind::kPatchBody;
    if (root["flows"] || root["cluster"] || root["expect"]) return ArtifactKind::kScenario;
  } catch (const YAML::Exception&) {
  }
  return ArtifactKind::kText;
}

}  // namespace

ArtifactKind IdentifyContent(const std::string& c) {
  if (c.empty()) return ArtifactKind::kEmpty;
  if (LooksLikePfx(c)) return ArtifactKind::kPkcs12;
  if (LooksLikeDerCertificate(c)) return ArtifactKind::kDerCertificate;
  if (!IsText(c)) return ArtifactKind::kBinary;
  if (c.find("-----BEGIN CERTIFICATE-----") != std::string::npos)
    return ArtifactKind::kPemCertificates;
  if (c.find("-----BEGIN ") != std::string::npos) return ArtifactKind::kPemOther;
  if (c.rfind("#!", 0) == 0) return ArtifactKind::kShellScript;
  if (LooksLikeLibreswan(c)) return ArtifactKind::kLibreswanConf;
  return FromYaml(c);
}

Artifact IdentifyFile(const std::string& path) {
  Artifact a;
  a.path = path;
  std::string head;
  const UserFile status = ReadUserFile(path, kSniffBytes, head);
  if (status != UserFile::kRead && status != UserFile::kTooLarge) {
    a.error = std::string("expected a file to check, but it ") + UserFileProblem(status);
    return a;
  }
  if (head.size() > kSniffBytes) head.resize(kSniffBytes);
  a.size = head.size();
  a.kind = IdentifyContent(head);
  return a;
}

std::string KindName(ArtifactKind kind) {
  switch (kind) {
    case ArtifactKind::kMissing:
      return "a file that cannot be read";
    case ArtifactKind::kEmpty:
      return "an empty file";
    case ArtifactKind::kLibreswanConf:
      return "a Libreswan configuration";
    case ArtifactKind::kButane:
      return "a Butane config";
    case ArtifactKind::kMachineConfig:
      return "a MachineConfig";
    case ArtifactKind::kPkcs12:
      return "a PKCS#12 bundle";
    case ArtifactKind::kPemCertificates:
      return "PEM certificates";
    case ArtifactKind::kPemOther:
      return "a PEM file without certificates";
    case ArtifactKind::kDerCertificate:
      return "a DER certificate";
    case ArtifactKind::kScenario:
      return "an ipsecsim scenario";
    case ArtifactKind::kPatchBody:
      return "an `oc patch` body for the cluster network configuration";
    case ArtifactKind::kShellScript:
      return "a shell script";
    case ArtifactKind::kBinary:
      return "binary data";
    case ArtifactKind::kText:
      return "text of no kind ipsecsim reads";
  }
  return "";
}

std::string HowToPass(ArtifactKind kind) {
  switch (kind) {
    case ArtifactKind::kLibreswanConf:
    case ArtifactKind::kButane:
    case ArtifactKind::kMachineConfig:
    case ArtifactKind::kPkcs12:
    case ArtifactKind::kPemCertificates:
    case ArtifactKind::kDerCertificate:
      return "pass it to `ipsecsim check` with the procedure's other files, e.g. "
             "`ipsecsim check ipsec-endpoint-config.conf left_server.p12 ca.pem "
             "99-ipsec-worker-endpoint-config.bu`";
    case ArtifactKind::kScenario:
      return "pass it to `ipsecsim run`";
    case ArtifactKind::kPatchBody:
      return "ipsecsim does not apply patch bodies; write the IPsec mode in a scenario as "
             "`cluster: {ipsec: {mode: External}}` (docs/scenario-reference.md)";
    default:
      return "ipsecsim reads scenarios (`ipsecsim run`) and the external-endpoint files "
             "(`ipsecsim check`)";
  }
}

}  // namespace ipsecsim::check
