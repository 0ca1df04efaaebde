#include "esp_sa_uat.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ns3/ipv4-address.h"
#include "ns3/ipv6-address.h"
#include "sad.h"

namespace ipsecsim::xfrm {

namespace {
std::vector<EspSaRecord>& Registry() {
  static std::vector<EspSaRecord> records;
  return records;
}

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

void RecordEspSa(const EspSaRecord& record) {
  for (const EspSaRecord& r : Registry()) {
    if (r.spi == record.spi && r.src == record.src && r.dst == record.dst &&
        r.keymat == record.keymat) {
      return;
    }
  }
  Registry().push_back(record);
}

const std::vector<EspSaRecord>& RecordedEspSas() { return Registry(); }
void ClearRecordedEspSas() { Registry().clear(); }

std::string EspSaUatLine(const EspSaRecord& r) {
  return "\"" + FamilyText(r.src) + "\",\"" + AddressText(r.src) + "\",\"" + AddressText(r.dst) +
         "\",\"" + SpiText(r.spi) + "\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x" +
         ToHex(r.keymat) + "\",\"NULL\",\"\"";
}

bool WriteEspSaUat(const std::string& path) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream out(path);
  if (!out) return false;
  for (const EspSaRecord& r : Registry()) out << EspSaUatLine(r) << "\n";
  return bool(out);
}

}  // namespace ipsecsim::xfrm
