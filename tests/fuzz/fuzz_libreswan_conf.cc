// libFuzzer target for the Libreswan configuration reader: any input must
// read and resolve, or fail with a ConfError inside the input's lines;
// never a crash, a hang or an include of anything outside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "conf_checks.h"
#include "conf_parser.h"
#include "conf_resolve.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Includes would read the file system: the reader is fuzzed on its own text.
  for (size_t at = text.find("include"); at != std::string::npos; at = text.find("include", at))
    text[at] = 'X';
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  try {
    ipsecsim::libreswan::ResolvedConfig config =
        ipsecsim::libreswan::Resolve(ipsecsim::libreswan::ReadConfText(text, "fuzz.conf"));
    ipsecsim::libreswan::CheckLoadValues(config);
    for (const auto& n : config.notices)
      if (n.where.line < 0 || static_cast<size_t>(n.where.line) > lines) std::abort();
  } catch (const ipsecsim::libreswan::ConfError& e) {
    if (e.Where().line < 0 || static_cast<size_t>(e.Where().line) > lines) std::abort();
  }
  return 0;
}
