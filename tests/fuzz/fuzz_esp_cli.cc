// libFuzzer target for the `esp encrypt|decrypt` command line: the input is
// the argument list after `ipsecsim esp`, arguments separated by NUL bytes.
// Every argument list must end in a parse error, a usage error or an exit
// code of 0 or 1 (decrypt refused the packet); nothing else may escape, and
// what encrypt prints must decrypt again to the payload it was given.
#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_esp.h"
#include "cli_numbers.h"
#include "nul_separated.h"

namespace {

struct Outcome {
  int code = 2;
  std::string out;
};

Outcome RunEsp(const std::vector<std::string>& args) {
  std::vector<std::string> full = {"ipsecsim", "esp"};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : full) argv.push_back(a.data());
  CLI::App app{"fuzz"};
  std::function<int()> action;
  ipsecsim::cli::AddEspCommand(app, &action);
  std::ostringstream out, err;
  std::streambuf* oldOut = std::cout.rdbuf(out.rdbuf());
  std::streambuf* oldErr = std::cerr.rdbuf(err.rdbuf());
  Outcome outcome;
  try {
    app.parse(int(argv.size()), argv.data());
    outcome.code = action ? action() : 2;
  } catch (const CLI::Error&) {
    outcome.code = 2;
  } catch (const ipsecsim::cli::UsageError& e) {
    if (e.message.empty()) __builtin_trap();
    outcome.code = 2;
  }
  std::cout.rdbuf(oldOut);
  std::cerr.rdbuf(oldErr);
  outcome.out = out.str();
  return outcome;
}

// The value of `--name VALUE` when given in that plain form, once.
const std::string* OptionValue(const std::vector<std::string>& args, const std::string& name) {
  const std::string* found = nullptr;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] != name) continue;
    if (found) return nullptr;
    found = &args[i + 1];
  }
  return found;
}

// encrypt then decrypt: the payload must come back.
void CheckRoundTrip(const std::vector<std::string>& args, const Outcome& sealed) {
  const std::string* spi = OptionValue(args, "--spi");
  const std::string* keymat = OptionValue(args, "--keymat");
  const std::string* payload = OptionValue(args, "--payload");
  const std::string* nh = OptionValue(args, "--next-header");
  if (!spi || !keymat || !payload || !nh) return;
  for (const std::string& a : args)
    if (a.rfind("--esn", 0) == 0 || a.find('=') != std::string::npos) return;
  std::string packet = sealed.out;
  if (packet.empty() || packet.back() != '\n') __builtin_trap();
  packet.pop_back();
  const Outcome opened =
      RunEsp({"decrypt", "--spi", *spi, "--keymat", *keymat, "--packet", packet});
  if (opened.code != 0) __builtin_trap();
  const std::string expected = ipsecsim::ToHex(*ipsecsim::ParseHex(*payload));
  const std::string nhText = std::to_string(ipsecsim::cli::ParseUnsigned("nh", *nh, 255));
  if (opened.out != "next-header " + nhText + " payload " + expected + "\n") __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string> args = NulSeparated(data, size);
  if (args.size() > 32) return 0;
  const Outcome outcome = RunEsp(args);
  if (outcome.code < 0 || outcome.code > 2) __builtin_trap();
  if (outcome.code == 0 && !args.empty() && args[0] == "encrypt") CheckRoundTrip(args, outcome);
  return 0;
}
