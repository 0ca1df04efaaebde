#include "receive_filter_chain.h"

#include "ns3/pointer.h"

namespace ipsecsim::natt {

using namespace ns3;

NS_OBJECT_ENSURE_REGISTERED(ErrorModelChain);

TypeId ErrorModelChain::GetTypeId() {
  static TypeId tid = TypeId("ipsecsim::natt::ErrorModelChain")
                          .SetParent<ErrorModel>()
                          .SetGroupName("ipsecsim")
                          .AddConstructor<ErrorModelChain>();
  return tid;
}

bool ErrorModelChain::DoCorrupt(Ptr<Packet> frame) {
  for (const Ptr<ErrorModel>& model : models_) {
    if (model->IsCorrupt(frame)) return true;
  }
  return false;
}

void ErrorModelChain::DoReset() {
  for (const Ptr<ErrorModel>& model : models_) model->Reset();
}

bool AddReceiveFilter(Ptr<NetDevice> device, Ptr<ErrorModel> model) {
  PointerValue current;
  if (!device->GetAttributeFailSafe("ReceiveErrorModel", current)) return false;
  Ptr<ErrorModel> existing = current.Get<ErrorModel>();
  if (!existing) return device->SetAttributeFailSafe("ReceiveErrorModel", PointerValue(model));
  Ptr<ErrorModelChain> chain = DynamicCast<ErrorModelChain>(existing);
  if (!chain) {
    chain = CreateObject<ErrorModelChain>();
    chain->Append(existing);
  }
  chain->Append(model);
  return device->SetAttributeFailSafe("ReceiveErrorModel", PointerValue(chain));
}

}  // namespace ipsecsim::natt
