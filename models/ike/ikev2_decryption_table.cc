#include "ikev2_decryption_table.h"

#include <filesystem>
#include <fstream>

namespace ipsecsim::ike {
namespace {

std::string SpiHex(uint64_t spi) {
  Bytes b(8);
  PutU64(b.data(), spi);
  return ToHex(b);
}

}  // namespace

void IkeSaKeyLog::Add(const IkeSaKeyRecord& record) {
  if (seen_.emplace(record.spiI, record.spiR).second) records_.push_back(record);
}

std::string Ikev2DecryptionTableLine(const IkeSaKeyRecord& record) {
  return SpiHex(record.spiI) + "," + SpiHex(record.spiR) + "," + ToHex(record.skEi) + "," +
         ToHex(record.skEr) + ",\"AES-GCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"";
}

bool IkeSaKeyLog::Write(const std::string& path) const {
  const std::filesystem::path file(path);
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  std::ofstream out(path, std::ios::trunc);
  for (const auto& r : records_) out << Ikev2DecryptionTableLine(r) << "\n";
  return out.good();
}

}  // namespace ipsecsim::ike
