#include "underlay_switch.h"

#include <ns3/abort.h>

namespace ipsecsim::sim {

using namespace ns3;

void UnderlaySwitch::AddPort(Ptr<NetDevice> port) {
  NS_ABORT_MSG_IF(!port->SupportsSendFrom(), "UnderlaySwitch: a port must support SendFrom");
  ports_.push_back(port);
  node_->RegisterProtocolHandler(MakeCallback(&UnderlaySwitch::Receive, this), 0, port, true);
}

void UnderlaySwitch::Attach(Mac48Address mac, Ptr<NetDevice> port) { table_[mac] = port; }

void UnderlaySwitch::Receive(Ptr<NetDevice> in, Ptr<const Packet> frame, uint16_t protocol,
                             const Address& source, const Address& destination,
                             NetDevice::PacketType type) {
  // A frame to a port's own MAC is for the switch, which runs no stack.
  if (type == NetDevice::PACKET_HOST) return;
  table_.emplace(Mac48Address::ConvertFrom(source), in);  // learns only the unknown
  if (type != NetDevice::PACKET_OTHERHOST) {
    Flood(in, frame, protocol, source, destination);
    return;
  }
  auto out = table_.find(Mac48Address::ConvertFrom(destination));
  if (out == table_.end()) {
    Flood(in, frame, protocol, source, destination);
  } else if (out->second != in) {
    out->second->SendFrom(frame->Copy(), source, destination, protocol);
  }
}

void UnderlaySwitch::Flood(Ptr<NetDevice> in, Ptr<const Packet> frame, uint16_t protocol,
                           const Address& source, const Address& destination) {
  for (const Ptr<NetDevice>& port : ports_) {
    if (port != in) port->SendFrom(frame->Copy(), source, destination, protocol);
  }
}

}  // namespace ipsecsim::sim
