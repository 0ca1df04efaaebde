#include "wire_oracle.h"

#include <ns3/callback.h>
#include <ns3/simulator.h>

#include <algorithm>
#include <vector>

namespace ipsecsim::harness {

namespace {
bool IsIp(uint8_t ethertypeHigh, uint8_t ethertypeLow) {
  const uint16_t ethertype = uint16_t(ethertypeHigh << 8 | ethertypeLow);
  return ethertype == 0x0800 || ethertype == 0x86DD;
}

void Record(FlowWireEvidence& e, bool clear, uint32_t packets) {
  const double now = ns3::Simulator::Now().GetSeconds();
  e.timeline.emplace_back(now, clear);
  e.pieces.emplace_back(now, packets);
}

void AddCost(FlowWireCost& cost, const Classified& c) {
  ++cost.datagrams;
  cost.packets += c.packets;
  if (c.packets > 1) cost.fragments += c.packets;
  cost.bytes += c.wireBytes;
  cost.maxFragmentsPerPacket = std::max<uint64_t>(cost.maxFragmentsPerPacket, c.packets);
  cost.largestPacket = std::max<uint64_t>(cost.largestPacket, c.largestPacket);
}
}  // namespace

void WireOracle::Tap(ns3::Ptr<ns3::NetDevice> nic, const std::string& linkName, TapRole role) {
  nic->TraceConnectWithoutContext("PhyTxBegin",
                                  ns3::MakeCallback(&WireOracle::OnFrame, this)
                                      .Bind(linkName, taps_++, role == TapRole::kEntersUnderlay));
}

void WireOracle::OnFrame(std::string link, uint32_t channel, bool entersUnderlay,
                         ns3::Ptr<const ns3::Packet> frame) {
  constexpr size_t kEthernetHeader = 14;
  std::vector<uint8_t> bytes(frame->GetSize());
  frame->CopyData(bytes.data(), bytes.size());
  if (bytes.size() <= kEthernetHeader || !IsIp(bytes[12], bytes[13])) return;
  Classified c;
  if (!classifier_.Classify(bytes.data() + kEthernetHeader, bytes.size() - kEthernetHeader, &c,
                            channel)) {
    return;
  }
  classTotals_[c.cls] += c.packets;
  for (int flow : c.clearFlows) {
    auto& e = flows_[flow];
    e.links[link][c.cls] += c.packets;
    e.clearPackets += c.packets;
    if (entersUnderlay) {
      AddCost(e.cost, c);
      if (timelines_) Record(e, true, c.packets);
    }
  }
  for (int flow : c.protectedFlows) {
    auto& e = flows_[flow];
    e.links[link][c.cls] += c.packets;
    e.protectedPackets += c.packets;
    if (entersUnderlay) {
      AddCost(e.cost, c);
      if (timelines_) Record(e, false, c.packets);
    }
  }
}

const FlowWireEvidence* WireOracle::Evidence(int flow) const {
  auto it = flows_.find(flow);
  return it == flows_.end() ? nullptr : &it->second;
}

}  // namespace ipsecsim::harness
