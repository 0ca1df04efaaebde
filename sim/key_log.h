// The keys of one run: every ESP SA the nodes' kernels install and every IKE
// SA their daemons create, learnt from the models' trace sources (xfrm
// StateAdded, IkeDaemon IkeSaKeys). The wire oracle decrypts ESP with them;
// with captures they are written beside the pcaps so that Wireshark and
// tshark decrypt them too.
#pragma once

#include <string>

#include "esp_sa_uat.h"
#include "ikev2_decryption_table.h"
#include "ipsec_ike_mesh.h"

namespace ipsecsim::sim {

class KeyLog {
 public:
  KeyLog() = default;
  KeyLog(const KeyLog&) = delete;  // the models' traces hold pointers to it
  KeyLog& operator=(const KeyLog&) = delete;

  // Every stack of the mesh, and every daemon its nodes start from now on.
  // The log must outlive the simulation.
  void Watch(const IkeMesh& mesh);
  void Watch(ns3::Ptr<ike::IkeDaemon> daemon);

  xfrm::EspSaLog& EspSas() { return esp_; }
  const xfrm::EspSaLog& EspSas() const { return esp_; }
  const ike::IkeSaKeyLog& IkeSas() const { return ike_; }

  // DIR/esp_sa, DIR/ikev2_decryption_table and DIR/preferences (ESP
  // decryption on): DIR is a Wireshark configuration folder. False on I/O error.
  bool Write(const std::string& dir) const;

 private:
  xfrm::EspSaLog esp_;
  ike::IkeSaKeyLog ike_;
};

}  // namespace ipsecsim::sim
