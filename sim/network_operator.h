// The Network operator's configuration object, `networks.operator.openshift.io
// cluster`, with the IPsec field as each release defines it (mechanics §5),
// the documented patches applied to it, and what the operator renders from it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ipsec_release.h"
#include "ocp_version.h"
#include "platform.h"

namespace ipsecsim::sim {

// A patch the API server refuses; what() is its message.
struct OperatorApiError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A change the API server stores but the network operator will not apply: it
// reports itself Degraded (InvalidOperatorConfig) with what() as the message.
struct OperatorDegraded : OperatorApiError {
  using OperatorApiError::OperatorApiError;
};

// What ovnkube-config says (`mtu`, `routable-mtu`: 0 when absent) and the
// machine MTU the nodes are to have.
struct OvnMtu {
  int mtu = 1400;
  int routableMtu = 0;
  int machineMtu = 1500;
  // The MTU pods send with: their routes carry routable-mtu when it is set.
  int RouteMtu() const { return routableMtu > 0 ? routableMtu : mtu; }
  bool operator==(const OvnMtu& o) const {
    return mtu == o.mtu && routableMtu == o.routableMtu && machineMtu == o.machineMtu;
  }
  bool operator!=(const OvnMtu& o) const { return !(*this == o); }
};

enum class IpsecIntent { kDisabled, kExternal, kFull };

struct RenderedIpsec {
  bool nbGlobalIpsec = false;               // ovn-nbctl get nb_global . ipsec
  bool nbGlobalIpsecEncapsulation = false;  // options:ipsec_encapsulation
  std::vector<std::string> daemonSets;
  std::vector<std::string> machineConfigs;
};

class NetworkOperatorConfig {
 public:
  // The object as installed: `ipsecConfig` is the install-time value or
  // absent (null). Throws OperatorApiError if the release refuses it.
  NetworkOperatorConfig(OcpVersion version, const nlohmann::json& ipsecConfig);

  // `oc patch networks.operator.openshift.io cluster --type=merge -p BODY`
  void ApplyMergePatch(const std::string& body);
  // `oc patch ... --type=json -p BODY`
  void ApplyJsonPatch(const std::string& body);
  // The cluster version changes; the stored object must still validate.
  void SetVersion(OcpVersion version);
  // The MTUs as installed (the operator's applied MTU, the machines' MTU).
  void SetInstalledMtu(int clusterMtu, int hostMtu);
  // network_operator_mtu.cc: ovnkube-config's MTUs and the machine MTU now.
  OvnMtu RenderedMtu() const;
  int AppliedMtu() const { return appliedMtu_; }
  bool MtuMigrationActive() const;

  IpsecIntent Intent() const;
  bool ForcesEncapsulation() const;  // full.encapsulation: Always
  // What the last patch set spec.defaultNetwork.type to ("" for a removal)
  // before the operator wrote it back to OVNKubernetes; nullopt when the
  // patch left it alone.
  const std::optional<std::string>& OverwrittenNetworkType() const { return overwrittenType_; }
  const nlohmann::json& Object() const { return object_; }
  OcpVersion Version() const { return version_; }
  // What the operator renders; ibmcloud always forces encapsulation.
  RenderedIpsec Render(Platform platform, DaemonFixes fixes) const;

 private:
  void Validate(const nlohmann::json& candidate) const;
  // network_operator_mtu.cc: validateOVNKubernetes's and
  // isOVNKubernetesChangeSafe's MTU rules, against the object as it is.
  void ValidateMtu(const nlohmann::json& candidate) const;
  void Accept(nlohmann::json candidate);
  // The operator's MergeClusterConfig: spec.defaultNetwork.type is
  // network.config.openshift.io's networkType, whatever the patch set; returns
  // what the patch had set (see OverwrittenNetworkType).
  static std::optional<std::string> RestoreNetworkType(nlohmann::json& candidate);
  static IpsecIntent IntentOf(const nlohmann::json& object);

  OcpVersion version_;
  nlohmann::json object_;
  int appliedMtu_ = 1400;
  int machineMtu_ = 1500;
  std::optional<std::string> overwrittenType_;
};

const char* ToString(IpsecIntent intent);

}  // namespace ipsecsim::sim
