#include "ovs_monitor_conf.h"

#include "conf_parser.h"

namespace ipsecsim::check {

const std::map<std::string, std::string>& OvnDefaults() {
  static const std::map<std::string, std::string> defaults = [] {
    std::map<std::string, std::string> out;
    for (const libreswan::Section& s :
         libreswan::ReadConfText(kOvsMonitorConfHeader, kOpenshiftConf).sections)
      if (s.name == "%default")
        for (const libreswan::Setting& v : s.settings) out[v.key] = v.value;
    return out;
  }();
  return defaults;
}

}  // namespace ipsecsim::check
