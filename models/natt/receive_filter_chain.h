// Several receive filters on one device. ns-3 devices have a single
// "ReceiveErrorModel"; a link with loss (cluster.link_loss) that also gets a
// firewall, or two firewalls, needs them in a row. ErrorModelChain asks each
// model in the order they were added and drops the frame at the first that
// calls it corrupt; the later ones never see it (so a frame lost on the wire
// is not counted by a firewall, and the loss model's random draws do not
// depend on what a firewall later drops).
#pragma once

#include <vector>

#include "ns3/error-model.h"
#include "ns3/net-device.h"

namespace ipsecsim::natt {

class ErrorModelChain : public ns3::ErrorModel {
 public:
  static ns3::TypeId GetTypeId();
  void Append(ns3::Ptr<ns3::ErrorModel> model) { models_.push_back(model); }
  const std::vector<ns3::Ptr<ns3::ErrorModel>>& Models() const { return models_; }

 private:
  bool DoCorrupt(ns3::Ptr<ns3::Packet> frame) override;
  void DoReset() override;
  std::vector<ns3::Ptr<ns3::ErrorModel>> models_;
};

// Adds `model` after whatever already filters what `device` receives (a
// chain is made, or extended, when there is one). Returns false when the
// device has no "ReceiveErrorModel" attribute.
bool AddReceiveFilter(ns3::Ptr<ns3::NetDevice> device, ns3::Ptr<ns3::ErrorModel> model);

}  // namespace ipsecsim::natt
