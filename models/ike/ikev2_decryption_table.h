// The encryption keys of a run's IKE SAs, written as Wireshark's
// `ikev2_decryption_table` UAT so that tshark decrypts the SK payloads of the
// run's captures (it reads the file from
// $HOME/.config/wireshark/ikev2_decryption_table). Each IKE daemon announces
// the keys of every IKE SA it creates (its "IkeSaKeys" trace source); an
// IkeSaKeyLog collects what the watched daemons announce.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bytes.h"

namespace ipsecsim::ike {

struct IkeSaKeyRecord {
  uint64_t spiI = 0;
  uint64_t spiR = 0;
  Bytes skEi;  // 32-byte key || 4-byte salt
  Bytes skEr;
};

class IkeSaKeyLog {
 public:
  // Records an IKE SA once (both ends derive the same keys: one record).
  void Add(const IkeSaKeyRecord& record);
  const std::vector<IkeSaKeyRecord>& Records() const { return records_; }
  // One line per record, creating parent directories. False on I/O error.
  bool Write(const std::string& path) const;

 private:
  std::vector<IkeSaKeyRecord> records_;  // in the order the SAs were created
  std::set<std::pair<uint64_t, uint64_t>> seen_;
};

// SPIi,SPIr,SK_ei,SK_er,"AES-GCM-256 with 16 octet ICV [RFC5282]",,,"NONE [RFC4306]"
// with 16 hex digits per SPI and the salt appended to each key.
std::string Ikev2DecryptionTableLine(const IkeSaKeyRecord& record);

}  // namespace ipsecsim::ike
