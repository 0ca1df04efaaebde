// What `ipsecsim check` is told besides the files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ipsecsim::check {

struct CheckOptions {
  std::vector<std::string> files;
  int64_t date = 0;      // UNIX seconds at which certificates must be valid
  std::string password;  // the PKCS#12 password when no import script names one
  bool passwordGiven = false;
  std::string filesDir;                      // butane -d
  std::vector<std::string> machineNetworks;  // CIDRs of the node network
};

}  // namespace ipsecsim::check
