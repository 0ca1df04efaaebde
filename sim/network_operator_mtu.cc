// The MTU of the Network object: the documented MTU change procedure's
// `spec.migration.mtu` and `defaultNetwork.ovnKubernetesConfig.mtu`, held to
// the network operator's rules with its words (openshift/cluster-network-
// operator release-4.15 aaa0f9330, pkg/network/ovn_kubernetes.go
// validateOVNKubernetes, isOVNKubernetesChangeSafe, getOVNEncapOverhead;
// pkg/controller/operconfig/operconfig_controller.go for the Degraded
// messages), and what the operator renders into ovnkube-config from it.
#include <algorithm>
#include <optional>
#include <utility>

#include "mtu_arithmetic.h"
#include "network_operator.h"

namespace ipsecsim::sim {

using nlohmann::json;

namespace {

// pkg/network/mtu.go: MinMTUIPv4 (the cluster network is IPv4) and MaxMTU.
constexpr long long kMinMtu = 576, kMaxMtu = 65536;

const json* Find(const json& object, const char* pointer) {
  const json::json_pointer p(pointer);
  return object.contains(p) ? &object.at(p) : nullptr;
}

const json* MigrationMtu(const json& object) {
  const json* m = Find(object, "/spec/migration/mtu");
  return m && !m->is_null() ? m : nullptr;
}

// The API schema declares these fields as integers: anything else is the
// API server's refusal, not the operator's.
std::optional<long long> Integer(const json& parent, const char* key, const std::string& field) {
  if (!parent.is_object() || !parent.contains(key) || parent.at(key).is_null()) return std::nullopt;
  const json& v = parent.at(key);
  if (!v.is_number_integer())
    throw OperatorApiError("Network.operator.openshift.io \"cluster\" is invalid: " + field +
                           ": Invalid value: \"" + std::string(v.type_name()) + "\": " + field +
                           " in body must be of type integer: \"" + v.type_name() + "\"");
  return v.get<long long>();
}

void RejectUnknownKeys(const json& object, const std::string& field,
                       std::initializer_list<const char*> known) {
  if (!object.is_object()) return;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; }))
      throw OperatorApiError(".spec: " + field + "." + it.key() + ": field not declared in schema");
  }
}

std::string List(const std::vector<std::string>& errors) {
  std::string s;
  for (const std::string& e : errors) s += (s.empty() ? "" : " ") + e;
  return "invalid configuration: [" + s + "]";
}

struct Migration {
  std::optional<long long> from, to, machine;
};

Migration ReadMigration(const json& mtu) {
  RejectUnknownKeys(mtu, "spec.migration.mtu", {"network", "machine"});
  const json network = mtu.value("network", json());
  const json machine = mtu.value("machine", json());
  RejectUnknownKeys(network, "spec.migration.mtu.network", {"from", "to"});
  RejectUnknownKeys(machine, "spec.migration.mtu.machine", {"from", "to"});
  return {Integer(network, "from", "spec.migration.mtu.network.from"),
          Integer(network, "to", "spec.migration.mtu.network.to"),
          Integer(machine, "to", "spec.migration.mtu.machine.to")};
}

}  // namespace

void NetworkOperatorConfig::SetInstalledMtu(int clusterMtu, int hostMtu) {
  appliedMtu_ = clusterMtu;
  machineMtu_ = hostMtu;
}

bool NetworkOperatorConfig::MtuMigrationActive() const { return MigrationMtu(object_) != nullptr; }

void NetworkOperatorConfig::ValidateMtu(const json& candidate) const {
  for (const auto& [pointer, field] :
       {std::pair{"/spec/migration", "spec.migration"},
        {"/spec/migration/mtu", "spec.migration.mtu"},
        {"/spec/migration/mtu/network", "spec.migration.mtu.network"},
        {"/spec/migration/mtu/machine", "spec.migration.mtu.machine"}}) {
    const json* v = Find(candidate, pointer);
    if (v && !v->is_null() && !v->is_object())
      throw OperatorApiError(std::string("Network.operator.openshift.io \"cluster\" is invalid: ") +
                             field + ": Invalid value: \"" + v->type_name() + "\": " + field +
                             " in body must be of type object: \"" + v->type_name() + "\"");
  }
  if (const json* migration = Find(candidate, "/spec/migration"))
    RejectUnknownKeys(*migration, "spec.migration", {"networkType", "mtu", "features", "mode"});
  const json* oc = Find(candidate, "/spec/defaultNetwork/ovnKubernetesConfig");
  const auto mtu = Integer(*oc, "mtu", "spec.defaultNetwork.ovnKubernetesConfig.mtu");
  // validateOVNKubernetes
  if (mtu && (*mtu < kMinMtu || *mtu > kMaxMtu))
    throw OperatorDegraded("The operator configuration is invalid (" +
                           List({"invalid MTU " + std::to_string(*mtu)}) +
                           "). Use 'oc edit network.operator.openshift.io cluster' to fix.");
  // isOVNKubernetesChangeSafe
  std::vector<std::string> errs;
  if (const json* next = MigrationMtu(candidate)) {
    const Migration m = ReadMigration(*next);
    if (!m.from || !m.to || !m.machine) {
      errs.push_back("invalid Migration.MTU, at least one of the required fields is missing");
    } else {
      const json* prev = MigrationMtu(object_);
      const bool checkPrev = !prev || ReadMigration(*prev).from != m.from;
      if (checkPrev && *m.from != appliedMtu_)
        errs.push_back("invalid Migration.MTU.Network.From(" + std::to_string(*m.from) +
                       ") not equal to the currently applied MTU(" + std::to_string(appliedMtu_) +
                       ")");
      const std::string range =
          "has to be in range: " + std::to_string(kMinMtu) + "-" + std::to_string(kMaxMtu);
      if (*m.to < kMinMtu || *m.to > kMaxMtu)
        errs.push_back("invalid Migration.MTU.Network.To(" + std::to_string(*m.to) + "), " + range);
      if (*m.machine < kMinMtu || *m.machine > kMaxMtu)
        errs.push_back("invalid Migration.MTU.Machine.To(" + std::to_string(*m.machine) + "), " +
                       range);
      // getOVNEncapOverhead: the same budgets the MTU arithmetic states.
      const long long overhead =
          mtu::kGeneveBudget + (IntentOf(candidate) == IpsecIntent::kFull ? mtu::kIpsecBudget : 0);
      if (*m.to + overhead > *m.machine)
        errs.push_back("invalid Migration.MTU.Machine.To(" + std::to_string(*m.machine) +
                       "), has to be at least " + std::to_string(*m.to + overhead));
    }
  } else if (mtu && *mtu != appliedMtu_) {
    errs.push_back("cannot change ovn-kubernetes MTU without migration");
  }
  if (!errs.empty())
    throw OperatorDegraded("Not applying unsafe configuration change: " + List(errs) +
                           ". Use 'oc edit network.operator.openshift.io cluster' to undo the "
                           "change.");
}

void NetworkOperatorConfig::Accept(json candidate) {
  ValidateMtu(candidate);
  object_ = std::move(candidate);
  // The operator applies the target as soon as the migration starts ("c.MTU
  // is used to set the applied network configuration MTU").
  if (const json* m = MigrationMtu(object_)) {
    const Migration mig = ReadMigration(*m);
    appliedMtu_ = int(*mig.to);
    machineMtu_ = int(*mig.machine);
  }
}

OvnMtu NetworkOperatorConfig::RenderedMtu() const {
  OvnMtu r;
  r.machineMtu = machineMtu_;
  r.mtu = appliedMtu_;
  if (const json* m = MigrationMtu(object_)) {
    // ovn_kubernetes.go renderOVNKubernetes: the larger of from and to is
    // ovnkube-config's mtu, the smaller its routable-mtu.
    const Migration mig = ReadMigration(*m);
    r.mtu = int(std::max(*mig.from, *mig.to));
    r.routableMtu = int(std::min(*mig.from, *mig.to));
  }
  return r;
}

}  // namespace ipsecsim::sim
