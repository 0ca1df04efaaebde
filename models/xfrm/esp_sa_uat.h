// The ESP SAs a run's kernels installed, written as a Wireshark `esp_sa` UAT
// file so that captures decrypt in Wireshark/tshark:
//   tshark -o esp.enable_encryption_decode:TRUE -o 'uat:esp_sa:<line>' -r x.pcap
// EspSaLog learns them from each watched XfrmStack's StateAdded trace, as
// `ip xfrm monitor` learns them from the kernel's XFRM_MSG_NEWSA.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "bytes.h"
#include "ns3/address.h"
#include "ns3/ptr.h"

namespace ipsecsim::xfrm {

class XfrmStack;
struct StateConfig;

struct EspSaRecord {
  ns3::Address src;
  ns3::Address dst;
  uint32_t spi;
  Bytes keymat;
};

class EspSaLog {
 public:
  EspSaLog() = default;
  EspSaLog(const EspSaLog&) = delete;  // watched stacks hold a pointer to it
  EspSaLog& operator=(const EspSaLog&) = delete;

  // Records every state the stack installs from now on. The log must outlive
  // the stack's last AddState.
  void Watch(ns3::Ptr<XfrmStack> stack);
  // Records an SA once; the same SA added on both of its nodes is one record.
  void Add(const StateConfig& state);
  // Called once for each new record (the wire oracle's keys).
  void OnNewSa(std::function<void(const EspSaRecord&)> listener) {
    listener_ = std::move(listener);
  }
  const std::vector<EspSaRecord>& Records() const { return records_; }
  // Writes one line per record, creating parent directories. False on I/O error.
  bool Write(const std::string& path) const;

 private:
  std::vector<EspSaRecord> records_;  // in the order they were installed
  std::unordered_set<std::string> seen_;
  std::function<void(const EspSaRecord&)> listener_;
};

// One UAT line: "IPv4","SRC","DST","0xSPI","AES-GCM with 16 octet ICV
// [RFC4106]","0xKEYMAT","NULL",""
std::string EspSaUatLine(const EspSaRecord& record);

}  // namespace ipsecsim::xfrm
