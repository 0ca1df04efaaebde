#include "icmp_port_tap.h"

#include <ns3/callback.h>

#include <vector>

#include "bytes.h"

namespace ipsecsim::harness {

namespace {
constexpr uint8_t kIcmp = 1, kDestinationUnreachable = 3, kFragmentationNeeded = 4;

uint32_t U32(const uint8_t* p) { return uint32_t(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

}  // namespace

bool ParseFragNeeded(const uint8_t* ip, size_t len, FragNeeded* out) {
  if (len < 20 || ip[0] >> 4 != 4 || ip[9] != kIcmp) return false;
  const size_t ihl = size_t(ip[0] & 0xF) * 4;
  if (ihl < 20 || len < ihl + 8 + 20 + 8) return false;
  const uint8_t* icmp = ip + ihl;
  if (icmp[0] != kDestinationUnreachable || icmp[1] != kFragmentationNeeded) return false;
  const uint8_t* quoted = icmp + 8;
  const size_t quotedIhl = size_t(quoted[0] & 0xF) * 4;
  if (quoted[0] >> 4 != 4 || quotedIhl != 20) return false;
  out->nextHopMtu = GetU16(icmp + 6);
  out->quotedProtocol = quoted[9];
  out->quotedSource = U32(quoted + 12);
  out->quotedDestination = U32(quoted + 16);
  out->quotedDestinationPort = GetU16(quoted + quotedIhl + 2);
  return true;
}

FragNeededTap::FragNeededTap(ns3::Ptr<ns3::NetDevice> podPort,
                             std::function<void(const FragNeeded&)> seen)
    : seen_(std::move(seen)) {
  podPort->TraceConnectWithoutContext("MacRx", ns3::MakeCallback(&FragNeededTap::OnPacket, this));
}

void FragNeededTap::OnPacket(ns3::Ptr<const ns3::Packet> packet) {
  std::vector<uint8_t> bytes(packet->GetSize());
  packet->CopyData(bytes.data(), bytes.size());
  FragNeeded f;
  if (ParseFragNeeded(bytes.data(), bytes.size(), &f)) seen_(f);
}

}  // namespace ipsecsim::harness
