// Runs tshark on a capture with ESP decryption and ICV checking on, using the
// Wireshark key files under `home`/.config/wireshark, and returns its lines.
#pragma once

#include <boost/test/unit_test.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.h"

namespace ipsecsim::test {

inline std::vector<std::string> TsharkLines(const std::string& home, const std::string& pcap,
                                            const std::string& args) {
  auto r = RunCommand("HOME=" + home + " tshark -r " + pcap +
                      " -o esp.enable_encryption_decode:TRUE"
                      " -o esp.enable_authentication_check:TRUE " +
                      args + " 2>/dev/null");
  BOOST_REQUIRE_EQUAL(r.exitCode, 0);
  std::vector<std::string> lines;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// One line of `tshark -T fields -E separator=/t`, split at the tabs (or, for
// a field that occurs more than once, its values at the commas).
inline std::vector<std::string> TsharkFields(const std::string& line, char separator = '\t') {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, separator);) out.push_back(f);
  return out;
}

}  // namespace ipsecsim::test
