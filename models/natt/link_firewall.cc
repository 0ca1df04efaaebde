#include "link_firewall.h"

#include <sstream>
#include <stdexcept>

#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/trace-source-accessor.h"
#include "receive_filter_chain.h"

namespace ipsecsim::natt {

using namespace ns3;

NS_OBJECT_ENSURE_REGISTERED(LinkFirewall);

TypeId LinkFirewall::GetTypeId() {
  static TypeId tid =
      TypeId("ipsecsim::natt::LinkFirewall")
          .SetParent<ErrorModel>()
          .SetGroupName("ipsecsim")
          .AddTraceSource("Drop",
                          "A frame dropped, with the rule number (0: default action, "
                          "-1: malformed)",
                          MakeTraceSourceAccessor(&LinkFirewall::dropTrace_),
                          "ipsecsim::natt::LinkFirewall::DropCallback");
  return tid;
}

LinkFirewall::LinkFirewall(std::string linkName, Action defaultAction, FrameFormat format)
    : linkName_(std::move(linkName)), format_(format), rules_(defaultAction) {}

uint64_t LinkFirewall::Dropped() const {
  uint64_t dropped = malformedDropped_;
  for (size_t n = 1; n <= rules_.RuleCount(); ++n) {
    if (rules_.Rule(n).GetAction() == Action::kDeny) dropped += rules_.RuleCounter(n).packets;
  }
  if (rules_.DefaultAction() == Action::kDeny) dropped += rules_.DefaultCounter().packets;
  return dropped;
}

bool LinkFirewall::DoCorrupt(Ptr<Packet> frame) {
  frameBytes_.resize(frame->GetSize());
  frame->CopyData(frameBytes_.data(), uint32_t(frameBytes_.size()));
  const FrameLocation where = LocateIpv4(frameBytes_.data(), frameBytes_.size(), format_);
  Ipv4View packet;
  ParseStatus status = where.status;
  if (status == ParseStatus::kIpv4) {
    status = ParseIpv4(frameBytes_.data() + where.ipOffset, frameBytes_.size() - where.ipOffset,
                       &packet);
  }
  if (status == ParseStatus::kNotIpv4) {
    ++nonIpv4Passed_;
    return false;
  }
  if (status == ParseStatus::kMalformed) {
    ++malformedDropped_;
    dropTrace_(frame, -1);
    return true;
  }
  const FirewallRuleTable::Decision decision = rules_.Evaluate(packet);
  if (decision.action == Action::kAllow) return false;
  dropTrace_(frame, int(decision.ruleNumber));
  return true;
}

void LinkFirewall::DoReset() {
  rules_.ResetCounters();
  malformedDropped_ = 0;
  nonIpv4Passed_ = 0;
}

std::vector<std::string> LinkFirewall::Report() const {
  std::vector<std::string> lines;
  auto line = [&](const std::string& what, const PacketCounter& counter) {
    std::ostringstream out;
    out << what << " on link " << linkName_ << ": " << counter.packets << " packets, "
        << counter.bytes << " bytes";
    lines.push_back(out.str());
  };
  for (size_t n = 1; n <= rules_.RuleCount(); ++n) {
    if (rules_.RuleCounter(n).packets == 0) continue;
    line("rule " + std::to_string(n) + " (" + rules_.Rule(n).Describe() + ")",
         rules_.RuleCounter(n));
  }
  if (rules_.DefaultCounter().packets > 0) {
    line("default " + std::string(ActionName(rules_.DefaultAction())), rules_.DefaultCounter());
  }
  if (malformedDropped_ > 0) {
    lines.push_back("malformed frames dropped on link " + linkName_ + ": " +
                    std::to_string(malformedDropped_) + " packets");
  }
  return lines;
}

void FilterReceivedBy(Ptr<LinkFirewall> firewall, Ptr<NetDevice> device) {
  if (!AddReceiveFilter(device, firewall)) {
    throw std::invalid_argument("firewall on link " + firewall->LinkName() + ": a " +
                                device->GetInstanceTypeId().GetName() +
                                " has no ReceiveErrorModel to filter with");
  }
}

void InstallOnLink(Ptr<LinkFirewall> firewall, Ptr<NetDevice> oneEnd, Ptr<NetDevice> otherEnd) {
  FilterReceivedBy(firewall, oneEnd);
  FilterReceivedBy(firewall, otherEnd);
}

}  // namespace ipsecsim::natt
