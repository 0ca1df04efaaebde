// libFuzzer target for the Butane and MachineConfig readers: any input must
// become a MachineConfig with notices, or a ConfigError; no other exception
// (a yaml-cpp one would be a reader bug), no crash, no runaway gunzip.
#include <cstddef>
#include <cstdint>
#include <string>

#include "butane_reader.h"
#include "machine_config_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    ipsecsim::butane::ReadButane(text, "fuzz.bu", {"", 1 << 16});
  } catch (const ipsecsim::butane::ConfigError&) {
  }
  try {
    ipsecsim::butane::ReadMachineConfig(text, "fuzz.yaml");
  } catch (const ipsecsim::butane::ConfigError&) {
  }
  return 0;
}
