// The scenario's `external:` section: the MachineConfigs that bring the
// documented external-endpoint configuration to the nodes, and the IPsec
// hosts outside the cluster (docs/external-endpoints.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace ipsecsim::harness {

struct ExternalFileRef {
  std::string path;  // resolved against the scenario's directory
  int line = 0;      // where the scenario names it
};

struct ExternalHostSpec {
  std::string name;
  std::string address;  // IPv4, outside the machine and cluster networks
  int line = 0;
  ExternalFileRef ipsecConf;  // the host's own Libreswan configuration
  ExternalFileRef bundle;     // its PKCS#12 (pk12util -i into its NSS database)
  std::string password;       // the bundle's
  ExternalFileRef ca;         // the CAs it trusts (certutil -A -t CT,,)
};

struct ExternalSpec {
  // Butane (read with -d = its directory) or MachineConfig YAML, applied
  // before the cluster runs: every node of the pool its role label names
  // has the files and units when it boots.
  std::vector<ExternalFileRef> machineConfigs;
  std::vector<ExternalHostSpec> hosts;
  int line = 0;
};

// What the runner builds from the spec's files (harness/external): read
// once, before the simulation, so that a bad file is exit 2 at no cost.
struct ExternalSetup;

}  // namespace ipsecsim::harness
