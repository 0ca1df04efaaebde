// Reads the scenario's external-endpoint files once, before the simulation:
//   - each MachineConfig (Butane or YAML) of a pool: its /etc/ipsec.d/*.conf
//     files, parsed in sorted order as pluto's `include /etc/ipsec.d/*.conf`
//     takes them, and its ipsec-import.service script run against a fresh
//     NSS database (harness/check/import_script);
//   - each external host: its own Libreswan configuration, its bundle
//     imported with pk12util's nickname rules, and its CAs trusted.
// A file that cannot be read as what it is, or a setting the run cannot act
// on, is an ExternalConfigError naming the file and line.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conf_resolve.h"
#include "finding.h"
#include "ip_address.h"
#include "nss_store.h"
#include "pluto_connections.h"
#include "scenario.h"

namespace ipsecsim::harness {

struct ExternalSetup {
  struct Pool {
    std::string role;    // the MachineConfig's role label: the pool it applies to
    std::string name;    // its metadata.name
    std::string source;  // the file(s) it came from
    // The procedure step whose `oc apply` brings it (nullopt: in place at install).
    std::optional<size_t> appliedAtStep;
    bool libreswanInstalled = false;   // the ipsec extension
    bool ipsecServiceEnabled = false;  // a unit that runs `systemctl enable --now ipsec.service`
    // Libreswan refuses the whole include tree (a syntax error in any file):
    // `addconn --checkconfig` fails, so pluto never starts on the pool.
    std::string confError;
    std::string unmodelled;  // something in the files the run refuses to guess at
    // The include tree as pluto reads it: with ovs-monitor-ipsec's
    // openshift.conf among the files (IPsec Full), and without.
    libreswan::ResolvedConfig confWithOvn, confAlone;
    external::NssStore nss;
    std::vector<std::string> importLog;  // what ipsec-import.service printed
  };
  struct Host {
    std::string name;
    ike::IpAddress address;
    external::PlutoLoad load;
  };
  // A node whose pool has a MachineConfig with the ipsec extension: what
  // its pluto loads, with left=%defaultroute as the node IP, beside OVN's
  // openshift.conf (IPsec Full) and alone.
  struct Node {
    const Pool* pool = nullptr;
    external::PlutoLoad withOvn, alone;
    const external::PlutoLoad& Load(bool ovnIpsec) const { return ovnIpsec ? withOvn : alone; }
  };
  // What `ipsecsim check` says about each pool's MachineConfig (with the
  // files it embeds), at the install date and with the scenario's machine
  // network: notes left out.
  struct PoolFinding {
    std::string role;
    check::Finding finding;
  };
  std::vector<Pool> pools;
  std::vector<Host> hosts;
  std::vector<PoolFinding> findings;
  std::map<std::string, Node> nodes;  // by node name

  const Pool* PoolFor(const std::string& poolName) const;
};

// Throws ScenarioError (FILE:LINE: ...) for a file that cannot be used.
std::shared_ptr<const ExternalSetup> PrepareExternal(const Scenario& scenario);

}  // namespace ipsecsim::harness
