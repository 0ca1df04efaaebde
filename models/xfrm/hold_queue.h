// Packets held while a trap policy waits for its SA (Libreswan auto=route
// with the kernel's larval state). Bounded: the oldest is kept, a packet that
// does not fit is refused.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <vector>

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv6-address.h"
#include "ns3/ipv6-route.h"
#include "ns3/packet.h"
#include "spd.h"

namespace ipsecsim::xfrm {

// An L4 segment on its way to IP: what the down target was called with.
struct HeldPacket {
  ns3::Ptr<ns3::Packet> packet;
  ns3::Ipv4Address src;
  ns3::Ipv4Address dst;
  uint8_t protocol;
  ns3::Ptr<ns3::Ipv4Route> route;
  PolicyId policy;
  // An IPv6 segment: these instead of src, dst and route.
  bool ipv6 = false;
  ns3::Ipv6Address src6{};
  ns3::Ipv6Address dst6{};
  ns3::Ptr<ns3::Ipv6Route> route6{};

  FlowTuple Flow() const {
    FlowTuple flow{src, dst, protocol};
    flow.ipv6 = ipv6;
    flow.src6 = src6;
    flow.dst6 = dst6;
    return flow;
  }
};

class HoldQueue {
 public:
  void SetLimit(size_t limit) { limit_ = limit; }
  size_t Limit() const { return limit_; }
  size_t Size() const { return packets_.size(); }
  // False when the queue is full: the caller drops the packet.
  bool Push(HeldPacket packet) {
    if (packets_.size() >= limit_) return false;
    packets_.push_back(std::move(packet));
    return true;
  }
  std::vector<HeldPacket> TakeAll() {
    std::vector<HeldPacket> all(packets_.begin(), packets_.end());
    packets_.clear();
    return all;
  }
  // Removes the packets for which pred is true and returns how many.
  size_t RemoveIf(const std::function<bool(const HeldPacket&)>& pred) {
    const size_t before = packets_.size();
    for (auto it = packets_.begin(); it != packets_.end();) {
      it = pred(*it) ? packets_.erase(it) : it + 1;
    }
    return before - packets_.size();
  }

 private:
  std::deque<HeldPacket> packets_;
  size_t limit_ = 32;
};

}  // namespace ipsecsim::xfrm
