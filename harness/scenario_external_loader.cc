#include "scenario_external_loader.h"

#include <filesystem>
#include <set>

#include "scenario_units.h"

namespace ipsecsim::harness {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxExternalHosts = 16;
constexpr size_t kMaxMachineConfigs = 16;

const std::vector<std::string> kExternalKeys = {"machine_configs", "hosts"};
const std::vector<std::string> kHostKeys = {"name",   "address",  "ipsec_conf",
                                            "bundle", "password", "ca"};

std::string ParseAddress(const YamlValue& value, const sim::NetworkPlan& network) {
  const std::string text = value.AsString("an IPv4 address");
  std::string why;
  const auto cidr = sim::ParseIpv4Cidr(text + "/32", &why);
  if (!cidr) value.Fail("expected an IPv4 address like 192.0.2.10, got '" + text + "'");
  if (network.machineNetwork.Contains(cidr->address) ||
      network.clusterNetwork.Contains(cidr->address))
    value.Fail("expected an address outside the machine network " +
               network.machineNetwork.ToString() + " and the cluster network " +
               network.clusterNetwork.ToString() + ", got " + text +
               " (an external endpoint is not a node or a pod)");
  const uint32_t first = cidr->address >> 24;
  if (cidr->address == 0 || first == 127 || first >= 224)
    value.Fail("expected a unicast address, got " + text);
  return text;
}

}  // namespace

ExternalFileRef ParseExternalFile(const YamlValue& value, const char* what) {
  const std::string text = value.AsString(std::string("a path to ") + what);
  fs::path path(text);
  if (path.is_relative()) path = fs::path(value.File()).parent_path() / path;
  std::error_code error;
  if (!fs::is_regular_file(path, error))
    value.Fail(std::string("expected ") + what + ", relative to the scenario's directory; " +
               path.lexically_normal().string() + " is not a regular file");
  return {path.lexically_normal().string(), value.Line()};
}

ExternalSpec ParseExternal(const YamlValue& value, const std::vector<std::string>& nodeNames,
                           const sim::NetworkPlan& network) {
  ExternalSpec spec;
  spec.line = value.Line();
  YamlMap external =
      value.AsMap(kExternalKeys, "an external map with keys " + JoinWords(kExternalKeys));
  if (auto list = external.Find("machine_configs")) {
    const auto items = list->AsList("a list of Butane or MachineConfig files");
    if (items.size() > kMaxMachineConfigs)
      list->Fail("expected at most " + std::to_string(kMaxMachineConfigs) + " files");
    for (const YamlValue& item : items)
      spec.machineConfigs.push_back(ParseExternalFile(item, "a Butane or MachineConfig file"));
  }
  const std::set<std::string> nodes(nodeNames.begin(), nodeNames.end());
  std::set<std::string> names, addresses;
  if (auto hosts = external.Find("hosts")) {
    const auto items = hosts->AsList("a list of external hosts");
    if (items.size() > kMaxExternalHosts)
      hosts->Fail("expected at most " + std::to_string(kMaxExternalHosts) + " external hosts");
    for (const YamlValue& item : items) {
      YamlMap host = item.AsMap(kHostKeys, "an external host with keys " + JoinWords(kHostKeys));
      ExternalHostSpec h;
      h.line = item.Line();
      const YamlValue name = host.Require("name");
      h.name = name.AsString("an external host name");
      if (!IsFileSafeName(h.name))
        name.Fail("expected a name of 1 to 100 letters, digits, '.', '_' or '-', got '" + h.name +
                  "'");
      if (nodes.count(h.name))
        name.Fail("expected a name that is not a node's, got '" + h.name + "'");
      if (!names.insert(h.name).second)
        name.Fail("expected unique external host names, '" + h.name + "' is defined twice");
      const YamlValue address = host.Require("address");
      h.address = ParseAddress(address, network);
      if (!addresses.insert(h.address).second)
        address.Fail("expected one host per address, " + h.address + " is given twice");
      h.ipsecConf =
          ParseExternalFile(host.Require("ipsec_conf"), "the host's Libreswan configuration");
      h.bundle = ParseExternalFile(host.Require("bundle"), "the host's PKCS#12 bundle");
      if (auto password = host.Find("password")) h.password = password->AsString("a password");
      h.ca = ParseExternalFile(host.Require("ca"), "a PEM file of the CAs the host trusts");
      spec.hosts.push_back(std::move(h));
    }
  }
  return spec;
}

}  // namespace ipsecsim::harness
