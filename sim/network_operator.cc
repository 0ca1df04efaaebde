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

void NetworkOperatorConfig::Validate(const json& candidate) const {
  const IpsecRelease release = ReleaseFor(version_, DaemonFixes::kStock);
  RequireObject(candidate, "spec", "spec");
  const json& spec = Member(candidate, "spec");
  RequireObject(spec, "defaultNetwork", "spec.defaultNetwork");
  RequireObject(Member(spec, "defaultNetwork"), "ovnKubernetesConfig",
                "spec.defaultNetwork.ovnKubernetesConfig");
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

void NetworkOperatorConfig::ApplyMergePatch(const std::string& body) {
  const json patch = ParsePatch(body, "a merge patch must be an object", &json::is_object);
  json candidate = object_;
  candidate.merge_patch(patch);
  Validate(candidate);
  Accept(std::move(candidate));
}

void NetworkOperatorConfig::ApplyJsonPatch(const std::string& body) {
  const json patch = ParsePatch(body, "a JSON patch must be an array", &json::is_array);
  json candidate;
  try {
    candidate = object_.patch(patch);
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
  Accept(std::move(candidate));
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
