#include "key_log.h"

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

bool KeyLog::Write(const std::string& dir) const {
  const bool esp = esp_.Write(dir + "/esp_sa");
  const bool ike = ike_.Write(dir + "/ikev2_decryption_table");
  return esp && ike;
}

}  // namespace ipsecsim::sim
