// The Network operator's configuration object, `networks.operator.openshift.io
// cluster`, with the IPsec field as each release defines it (mechanics §5),
// the documented patches applied to it, and what the operator renders from it.
#pragma once

#include <nlohmann/json.hpp>
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

  IpsecIntent Intent() const;
  bool ForcesEncapsulation() const;  // full.encapsulation: Always
  const nlohmann::json& Object() const { return object_; }
  OcpVersion Version() const { return version_; }
  // What the operator renders; ibmcloud always forces encapsulation.
  RenderedIpsec Render(Platform platform, DaemonFixes fixes) const;

 private:
  void Validate(const nlohmann::json& candidate) const;

  OcpVersion version_;
  nlohmann::json object_;
};

const char* ToString(IpsecIntent intent);

}  // namespace ipsecsim::sim
