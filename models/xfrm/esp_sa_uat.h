// A process-wide record of every ESP SA the run created, written as a
// Wireshark `esp_sa` UAT file so that captures decrypt in Wireshark/tshark:
//   tshark -o esp.enable_encryption_decode:TRUE -o 'uat:esp_sa:<line>' -r x.pcap
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bytes.h"
#include "ns3/address.h"

namespace ipsecsim::xfrm {

struct EspSaRecord {
  ns3::Address src;
  ns3::Address dst;
  uint32_t spi;
  Bytes keymat;
};

// Records an SA once; the same SA added on both of its nodes is one record.
void RecordEspSa(const EspSaRecord& record);
const std::vector<EspSaRecord>& RecordedEspSas();
void ClearRecordedEspSas();  // between independent simulations in one process

// One UAT line: "IPv4","SRC","DST","0xSPI","AES-GCM with 16 octet ICV
// [RFC4106]","0xKEYMAT","NULL",""
std::string EspSaUatLine(const EspSaRecord& record);
// Writes one line per recorded SA, creating parent directories. False on I/O error.
bool WriteEspSaUat(const std::string& path);

}  // namespace ipsecsim::xfrm
