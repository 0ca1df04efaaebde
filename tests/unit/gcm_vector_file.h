// Reads tests/data/vectors/gcm-esp-vectors.txt: "=== Test case N"
// sections of "name = hex" fields whose values continue on indented lines.
#pragma once

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "bytes.h"

namespace ipsecsim::test {

struct GcmVector {
  std::string title;
  std::map<std::string, Bytes> fields;
  const Bytes& at(const std::string& k) const { return fields.at(k); }
};

inline std::string VectorDir() { return std::string(IPSECSIM_SOURCE_DIR) + "/tests/data/vectors"; }

inline std::vector<GcmVector> LoadGcmVectors() {
  std::ifstream in(VectorDir() + "/gcm-esp-vectors.txt");
  std::vector<GcmVector> out;
  std::map<std::string, std::string> hex;
  std::string line, current;
  auto flush = [&] {
    if (out.empty()) return;
    for (auto& [k, v] : hex) {
      auto b = ParseHex(v);
      if (b) out.back().fields[k] = *b;
    }
    hex.clear();
  };
  static const std::regex kField(R"(^([A-Za-z][\w+]*)\s*=\s*([0-9a-fA-F]*)\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (line.rfind("===", 0) == 0) {
      flush();
      out.push_back(GcmVector{line, {}});
      current.clear();
    } else if (std::regex_match(line, m, kField)) {
      current = m[1];
      hex[current] = m[2];
    } else if (!line.empty() && line[0] == ' ' && !current.empty()) {
      std::istringstream ss(line);
      std::string more;
      ss >> more;
      hex[current] += more;
    } else {
      current.clear();
    }
  }
  flush();
  return out;
}

}  // namespace ipsecsim::test
