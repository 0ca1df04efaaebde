// A process-wide record of every IKE SA's encryption keys, written as
// Wireshark's `ikev2_decryption_table` UAT so that tshark decrypts the SK
// payloads of the run's captures (it reads the file from
// $HOME/.config/wireshark/ikev2_decryption_table).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bytes.h"

namespace ipsecsim::ike {

struct IkeSaKeyRecord {
  uint64_t spiI = 0;
  uint64_t spiR = 0;
  Bytes skEi;  // 32-byte key || 4-byte salt
  Bytes skEr;
};

// Records an IKE SA once (both ends derive the same keys: one record).
void RecordIkeSaKeys(const IkeSaKeyRecord& record);
const std::vector<IkeSaKeyRecord>& RecordedIkeSaKeys();
void ClearRecordedIkeSaKeys();  // between independent simulations in one process

// SPIi,SPIr,SK_ei,SK_er,"AES-GCM-256 with 16 octet ICV [RFC5282]",,,"NONE [RFC4306]"
// with 16 hex digits per SPI and the salt appended to each key.
std::string Ikev2DecryptionTableLine(const IkeSaKeyRecord& record);
// One line per recorded IKE SA, creating parent directories. False on I/O error.
bool WriteIkev2DecryptionTable(const std::string& path);

}  // namespace ipsecsim::ike
