#include "key_log.h"

#include <fstream>

namespace ipsecsim::sim {

void KeyLog::Watch(const IkeMesh& mesh) {
  for (const auto& stack : mesh.stacks) esp_.Watch(stack);
  for (const auto& node : mesh.nodes) {
    if (node->Daemon()) Watch(node->Daemon());
    node->WatchDaemons([this](ns3::Ptr<ike::IkeDaemon> daemon) { Watch(daemon); });
  }
}

void KeyLog::Watch(ns3::Ptr<ike::IkeDaemon> daemon) {
  daemon->TraceConnectWithoutContext("IkeSaKeys", ns3::MakeCallback(&ike::IkeSaKeyLog::Add, &ike_));
}

namespace {

// Makes DIR a Wireshark configuration folder of its own
// (WIRESHARK_CONFIG_DIR=DIR), so the keys never go into the user's profile.
bool WritePreferences(const std::string& path) {
  std::ofstream out(path);
  out << "# Wireshark preferences for this run's captures: open them with\n"
         "# WIRESHARK_CONFIG_DIR=<this folder> wireshark (or tshark) -r <capture>\n"
         "esp.enable_encryption_decode: TRUE\n"
         "esp.enable_authentication_check: TRUE\n";
  return bool(out);
}

}  // namespace

bool KeyLog::Write(const std::string& dir) const {
  const bool esp = esp_.Write(dir + "/esp_sa");
  const bool ike = ike_.Write(dir + "/ikev2_decryption_table");
  const bool prefs = WritePreferences(dir + "/preferences");
  return esp && ike && prefs;
}

}  // namespace ipsecsim::sim
