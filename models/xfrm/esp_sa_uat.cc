#include "esp_sa_uat.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "sad.h"
#include "xfrm_stack.h"

namespace ipsecsim::xfrm {

namespace {
std::string AddressText(const ns3::Address& a) {
  std::ostringstream os;
  if (ns3::Ipv4Address::IsMatchingType(a)) os << ns3::Ipv4Address::ConvertFrom(a);
  if (ns3::Ipv6Address::IsMatchingType(a)) os << ns3::Ipv6Address::ConvertFrom(a);
  return os.str();
}

// Wireshark's esp_sa protocol column: "IPv4" or "IPv6".
std::string FamilyText(const ns3::Address& a) {
  return ns3::Ipv6Address::IsMatchingType(a) ? "IPv6" : "IPv4";
}
}  // namespace

void EspSaLog::Watch(ns3::Ptr<XfrmStack> stack) {
  stack->TraceConnectWithoutContext("StateAdded", ns3::MakeCallback(&EspSaLog::Add, this));
}

void EspSaLog::Add(const StateConfig& state) {
  EspSaRecord record{state.src, state.dst, state.spi, state.keymat};
  // The UAT line names everything that makes two records the same SA.
  if (!seen_.insert(EspSaUatLine(record)).second) return;
  records_.push_back(std::move(record));
  if (listener_) listener_(records_.back());
}

std::string EspSaUatLine(const EspSaRecord& r) {
  return "\"" + FamilyText(r.src) + "\",\"" + AddressText(r.src) + "\",\"" + AddressText(r.dst) +
         "\",\"" + SpiText(r.spi) + "\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x" +
         ToHex(r.keymat) + "\",\"NULL\",\"\"";
}

bool EspSaLog::Write(const std::string& path) const {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream out(path);
  if (!out) return false;
  for (const EspSaRecord& r : records_) out << EspSaUatLine(r) << "\n";
  return bool(out);
}

}  // namespace ipsecsim::xfrm
