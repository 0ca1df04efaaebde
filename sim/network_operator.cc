#include "network_operator.h"

namespace ipsecsim::sim {

using nlohmann::json;

namespace {

constexpr char kIpsecPath[] = "spec.defaultNetwork.ovnKubernetesConfig.ipsecConfig";
constexpr char kInvalid[] = "Network.operator.openshift.io \"cluster\" is invalid: ";

std::string TypeName(const json& v) {
  if (v.is_object()) return "object";
  if (v.is_array()) return "array";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  return "null";
}

[[noreturn]] void Invalid(const std::string& field, const std::string& what) {
  throw OperatorApiError(kInvalid + field + ": " + what);
}

void RequireType(const json& v, const std::string& field, const char* type) {
  if (TypeName(v) != type) {
    Invalid(field, "Invalid value: \"" + TypeName(v) + "\": " + field +
                       " in body must be of type " + type + ": \"" + TypeName(v) + "\"");
  }
}

// Where a field of ipsecConfig that a release does not declare first appears.
std::string AppearsIn(const std::string& key) {
  if (key == "mode")
    return " (ipsecConfig.mode appears in 4.15; 4.14 and earlier take only the empty object {}, "
           "which turns IPsec on: leave ipsecConfig out for IPsec off)";
  if (key == "full") return " (ipsecConfig.full, with full.encapsulation, appears in 4.16)";
  return "";
}

void RejectUnknown(const json& object, const std::string& field,
                   const std::vector<std::string>& known) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool ok = false;
    for (const std::string& k : known) ok |= it.key() == k;
    if (!ok) {
      const bool ipsecConfig = field == kIpsecPath;
      throw OperatorApiError(".spec: " + field + "." + it.key() + ": field not declared in schema" +
                             (ipsecConfig ? AppearsIn(it.key()) : ""));
    }
  }
}

void RequireEnum(const json& v, const std::string& field, const std::vector<std::string>& values) {
  RequireType(v, field, "string");
  for (const std::string& ok : values)
    if (v.get<std::string>() == ok) return;
  std::string list;
  for (const std::string& ok : values) list += (list.empty() ? "\"" : ", \"") + ok + "\"";
  Invalid(field, "Unsupported value: \"" + v.get<std::string>() + "\": supported values: " + list);
}

// Deeper JSON than any Network object holds (ipsecConfig.full.encapsulation
// is six levels down); a limit keeps the recursive copies, merges and
// comparisons of a patch within the stack.
constexpr int kMaxPatchDepth = 64;

// The member `key` of `object`, or null when absent or not an object.
const json& Member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

void RequireObject(const json& parent, const char* key, const std::string& field) {
  if (parent.is_object() && !parent.contains(key)) Invalid(field, "Required value");
  RequireType(Member(parent, key), field, "object");
}

json Skeleton() {
  return json{
      {"apiVersion", "operator.openshift.io/v1"},
      {"kind", "Network"},
      {"metadata", {{"name", "cluster"}}},
      {"spec",
       {{"defaultNetwork", {{"type", "OVNKubernetes"}, {"ovnKubernetesConfig", json::object()}}}}}};
}

// The body of `oc patch -p`, refused the way the API server refuses it.
json ParsePatch(const std::string& body, const char* shape, bool (json::*ok)() const noexcept) {
  json patch;
  const json::parser_callback_t depthLimit = [](int depth, json::parse_event_t, json&) {
    if (depth > kMaxPatchDepth)
      throw OperatorApiError("error decoding patch: nested more than " +
                             std::to_string(kMaxPatchDepth) + " levels deep");
    return true;
  };
  try {
    patch = json::parse(body, depthLimit);
  } catch (const json::exception& e) {  // a syntax error, or a number out of range (1e999)
    throw OperatorApiError(std::string("error decoding patch: ") + e.what());
  }
  if (!(patch.*ok)()) throw OperatorApiError(std::string("error decoding patch: ") + shape);
  return patch;
}

// The API server's bounds on a JSON patch: at most maxJSONPatchOperations
// (10000) operations (kubernetes/kubernetes,
// staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go), and "copy"
// operations that add at most JSONPatchMaxCopyBytes (3 MiB,
// staging/src/k8s.io/apiserver/pkg/server/config.go), which it sets as
// evanphx/json-patch's AccumulatedCopySizeLimit; the message is that
// library's AccumulatedCopySizeError (errors.go).
constexpr size_t kMaxJsonPatchOperations = 10000;
constexpr size_t kMaxJsonPatchCopyBytes = 3 * 1024 * 1024;

// Applies a JSON patch operation by operation, counting what the copies add.
json PatchWithinBounds(const json& document, const json& patch) {
  if (patch.size() > kMaxJsonPatchOperations) {
    throw OperatorApiError(
        "Request entity too large: the allowed number of operations in a JSON "
        "patch is " +
        std::to_string(kMaxJsonPatchOperations) + ", got " + std::to_string(patch.size()));
  }
  json result = document;
  size_t copied = 0;
  for (const json& op : patch) {
    const json& from = Member(op, "from");
    if (Member(op, "op") == "copy" && from.is_string()) {
      const json::json_pointer source(from.get<std::string>());
      if (result.contains(source)) copied += result.at(source).dump().size();
      if (copied > kMaxJsonPatchCopyBytes) {
        throw OperatorApiError(
            "Unable to complete the copy, the accumulated size increase of copy is " +
            std::to_string(copied) + ", exceeding the limit " +
            std::to_string(kMaxJsonPatchCopyBytes));
      }
    }
    result.patch_inplace(json::array({op}));
  }
  return result;
}

const json* IpsecConfigOf(const json& object) {
  const json::json_pointer p("/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig");
  return object.contains(p) ? &object.at(p) : nullptr;
}

}  // namespace

const char* ToString(IpsecIntent intent) {
  switch (intent) {
    case IpsecIntent::kDisabled:
      return "Disabled";
    case IpsecIntent::kExternal:
      return "External";
    case IpsecIntent::kFull:
      break;
  }
  return "Full";
}

NetworkOperatorConfig::NetworkOperatorConfig(OcpVersion version, const json& ipsecConfig)
    : version_(version), object_(Skeleton()) {
  if (!ipsecConfig.is_null())
    object_["spec"]["defaultNetwork"]["ovnKubernetesConfig"]["ipsecConfig"] = ipsecConfig;
  Validate(object_);
}

// The fields the Network object's schema declares (openshift/api
// operator/v1/types_network.go: NetworkSpec with the OperatorSpec of
// types.go inline, DefaultNetworkDefinition, OVNKubernetesConfig; the same
// in release-4.14 b1c90a6cf, release-4.15 0a58f8c30 and release-4.16
// 0677a8879, but for kuryrConfig, which 4.15 removed).
const std::vector<std::string> kSpecFields = {"clusterNetwork",
                                              "serviceNetwork",
                                              "defaultNetwork",
                                              "additionalNetworks",
                                              "disableMultiNetwork",
                                              "useMultiNetworkPolicy",
                                              "deployKubeProxy",
                                              "disableNetworkDiagnostics",
                                              "kubeProxyConfig",
                                              "exportNetworkFlows",
                                              "migration",
                                              "managementState",
                                              "logLevel",
                                              "operatorLogLevel",
                                              "unsupportedConfigOverrides",
                                              "observedConfig"};
const std::vector<std::string> kOvnKubernetesFields = {"mtu",
                                                       "genevePort",
                                                       "hybridOverlayConfig",
                                                       "ipsecConfig",
                                                       "policyAuditConfig",
                                                       "gatewayConfig",
                                                       "v4InternalSubnet",
                                                       "v6InternalSubnet",
                                                       "egressIPConfig",
                                                       "ipv4",
                                                       "ipv6"};

void NetworkOperatorConfig::Validate(const json& candidate) const {
  const IpsecRelease release = ReleaseFor(version_, DaemonFixes::kStock);
  RequireObject(candidate, "spec", "spec");
  const json& spec = Member(candidate, "spec");
  RejectUnknown(spec, "spec", kSpecFields);
  RequireObject(spec, "defaultNetwork", "spec.defaultNetwork");
  const json& defaultNetwork = Member(spec, "defaultNetwork");
  // The schema's `type: string`, with no enum and not required (openshift/api
  // operator/v1/0000_70_cluster-network-operator_01-Default.crd.yaml in
  // release-4.14 b1c90a6cf and release-4.15 0a58f8c30,
  // zz_generated.crd-manifests/0000_70_network_01_networks.crd.yaml in
  // release-4.16 0677a8879): any string is stored, RestoreNetworkType below.
  if (defaultNetwork.contains("type"))
    RequireType(defaultNetwork.at("type"), "spec.defaultNetwork.type", "string");
  RejectUnknown(
      defaultNetwork, "spec.defaultNetwork",
      version_.minor <= 14
          ? std::vector<std::string>{"type", "openshiftSDNConfig", "ovnKubernetesConfig",
                                     "kuryrConfig"}
          : std::vector<std::string>{"type", "openshiftSDNConfig", "ovnKubernetesConfig"});
  RequireObject(defaultNetwork, "ovnKubernetesConfig", "spec.defaultNetwork.ovnKubernetesConfig");
  RejectUnknown(Member(defaultNetwork, "ovnKubernetesConfig"),
                "spec.defaultNetwork.ovnKubernetesConfig", kOvnKubernetesFields);
  const json* ipsec = IpsecConfigOf(candidate);
  if (!ipsec || ipsec->is_null()) return;
  RequireType(*ipsec, kIpsecPath, "object");
  if (release.legacyEmptyConfigOnly) {
    RejectUnknown(*ipsec, kIpsecPath, {});
    return;
  }
  RejectUnknown(*ipsec, kIpsecPath,
                release.encapsulationField ? std::vector<std::string>{"mode", "full"}
                                           : std::vector<std::string>{"mode"});
  if (ipsec->contains("mode"))
    RequireEnum(ipsec->at("mode"), std::string(kIpsecPath) + ".mode",
                {"Disabled", "External", "Full"});
  if (ipsec->contains("full")) {
    const std::string field = std::string(kIpsecPath) + ".full";
    RequireType(ipsec->at("full"), field, "object");
    if (ipsec->value("mode", "") != "Full")
      Invalid(kIpsecPath, "Invalid value: \"object\": full is forbidden when mode is not Full");
    RejectUnknown(ipsec->at("full"), field, {"encapsulation"});
    if (ipsec->at("full").contains("encapsulation"))
      RequireEnum(ipsec->at("full").at("encapsulation"), field + ".encapsulation",
                  {"Always", "Auto"});
  }
}

// The operator's reconcile starts with MergeClusterConfig, which sets
// spec.defaultNetwork.type to network.config.openshift.io cluster's
// spec.networkType (OVNKubernetes here) and writes the object back ("WARNING:
// Network.operator.openshift.io has fields being overwritten by
// Network.config.openshift.io configuration"), before its own Validate and
// IsChangeSafe see it (openshift/cluster-network-operator release-4.14
// af41a3620, pkg/network/cluster_config.go MergeClusterConfig,
// pkg/controller/operconfig/cluster.go, operconfig_controller.go Reconcile;
// the same in release-4.12 to release-4.19). So a patch of the type is stored
// and undone, never refused: isDefaultNetworkChangeSafe's "cannot change
// default network type when not doing migration" is reached only through
// network.config.openshift.io, which ipsecsim does not patch.
std::optional<std::string> NetworkOperatorConfig::RestoreNetworkType(json& candidate) {
  json& defaultNetwork = candidate["spec"]["defaultNetwork"];
  const json* type = defaultNetwork.contains("type") ? &defaultNetwork.at("type") : nullptr;
  if (type && *type == "OVNKubernetes") return std::nullopt;
  std::string patched = type ? type->get<std::string>() : "";
  defaultNetwork["type"] = "OVNKubernetes";
  return patched;
}

void NetworkOperatorConfig::ApplyMergePatch(const std::string& body) {
  const json patch = ParsePatch(body, "a merge patch must be an object", &json::is_object);
  json candidate = object_;
  candidate.merge_patch(patch);
  Validate(candidate);
  std::optional<std::string> overwritten = RestoreNetworkType(candidate);
  Accept(std::move(candidate));
  overwrittenType_ = std::move(overwritten);
}

void NetworkOperatorConfig::ApplyJsonPatch(const std::string& body) {
  const json patch = ParsePatch(body, "a JSON patch must be an array", &json::is_array);
  json candidate;
  try {
    candidate = PatchWithinBounds(object_, patch);
  } catch (const json::exception& e) {
    std::string path;
    for (const json& op : patch)
      if (op.is_object() && op.contains("path") && op["path"].is_string()) path = op["path"];
    const json& opValue = patch.size() == 1 ? Member(patch[0], "op") : json();
    const std::string op = opValue.is_string() ? opValue.get<std::string>() : "";
    if (op == "remove" || op == "replace")
      throw OperatorApiError("jsonpatch " + op +
                             " operation does not apply: doc is missing path: \"" + path +
                             "\": missing value");
    throw OperatorApiError(std::string("the server rejected our request due to an error in our "
                                       "request: ") +
                           e.what());
  }
  Validate(candidate);
  std::optional<std::string> overwritten = RestoreNetworkType(candidate);
  Accept(std::move(candidate));
  overwrittenType_ = std::move(overwritten);
}

void NetworkOperatorConfig::SetVersion(OcpVersion version) {
  const OcpVersion before = version_;
  version_ = version;
  try {
    Validate(object_);
  } catch (...) {
    version_ = before;
    throw;
  }
}

IpsecIntent NetworkOperatorConfig::Intent() const { return IntentOf(object_); }

IpsecIntent NetworkOperatorConfig::IntentOf(const json& object) {
  const json* ipsec = IpsecConfigOf(object);
  if (!ipsec || ipsec->is_null()) return IpsecIntent::kDisabled;
  const std::string mode = ipsec->value("mode", "");
  if (mode == "Disabled") return IpsecIntent::kDisabled;
  if (mode == "External") return IpsecIntent::kExternal;
  return IpsecIntent::kFull;  // "Full", or the legacy empty object
}

bool NetworkOperatorConfig::ForcesEncapsulation() const {
  const json* ipsec = IpsecConfigOf(object_);
  if (!ipsec || !ipsec->contains("full")) return false;
  return ipsec->at("full").value("encapsulation", "") == "Always";
}

RenderedIpsec NetworkOperatorConfig::Render(Platform platform, DaemonFixes fixes) const {
  const IpsecRelease release = ReleaseFor(version_, fixes);
  RenderedIpsec r;
  const IpsecIntent intent = Intent();
  if (intent == IpsecIntent::kFull) {
    r.nbGlobalIpsec = true;
    r.nbGlobalIpsecEncapsulation = sim::ForcesEncapsulation(
        platform, ForcesEncapsulation() ? Encapsulation::kAlways : Encapsulation::kAuto);
    r.daemonSets = release.daemonSets;
  }
  if (intent != IpsecIntent::kDisabled && release.hostExtension)
    r.machineConfigs = {"80-ipsec-master-extensions", "80-ipsec-worker-extensions"};
  return r;
}

}  // namespace ipsecsim::sim
