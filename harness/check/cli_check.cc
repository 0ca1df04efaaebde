#include "cli_check.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <initializer_list>
#include <iostream>
#include <memory>

#include "check_run.h"
#include "conf_checks.h"

namespace ipsecsim::cli {

namespace {

struct CheckArgs {
  check::CheckOptions options;
  std::string date;
  bool dateGiven = false;
  std::string password;
  bool notes = true;
};

bool DigitsAt(const std::string& text, std::initializer_list<size_t> positions) {
  for (size_t i : positions)
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  return true;
}

// "2026-01-31" or "2026-01-31T12:00:00Z", as UNIX seconds: a day the calendar
// has (2026-02-31 is refused, not moved to March), years 0001 to 9999.
std::optional<int64_t> ParseDate(const std::string& text) {
  const bool dateOnly = text.size() == 10;
  const bool full = text.size() == 20 && text[10] == 'T' && text[13] == ':' && text[16] == ':' &&
                    text[19] == 'Z' && DigitsAt(text, {11, 12, 14, 15, 17, 18});
  if ((!dateOnly && !full) || text[4] != '-' || text[7] != '-' ||
      !DigitsAt(text, {0, 1, 2, 3, 5, 6, 8, 9}))
    return std::nullopt;
  const int y = std::stoi(text.substr(0, 4)), mo = std::stoi(text.substr(5, 2)),
            d = std::stoi(text.substr(8, 2));
  const int h = full ? std::stoi(text.substr(11, 2)) : 0,
            mi = full ? std::stoi(text.substr(14, 2)) : 0,
            s = full ? std::stoi(text.substr(17, 2)) : 0;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const time_t seconds = timegm(&tm);
  // timegm moves a day past the month's end into the next month.
  if (tm.tm_mday != d || tm.tm_mon != mo - 1) return std::nullopt;
  return static_cast<int64_t>(seconds);
}

// A node network: an IPv4 or IPv6 network address and a prefix length, as
// Libreswan reads a subnet (conf_checks.cc ParseSubnet). /0 is refused: a
// machine network of every address would flag every selector.
std::optional<std::string> MachineNetworkProblem(const std::string& cidr) {
  std::string why;
  const auto subnet = libreswan::ParseSubnet(cidr, &why);
  if (cidr.find('/') == std::string::npos) return std::string("no prefix length");
  if (!subnet) return why;
  if (subnet->prefix == 0) return std::string("a prefix length of 0 is every address");
  return std::nullopt;
}

int Check(CheckArgs& a) {
  if (!a.dateGiven) {
    a.options.date = static_cast<int64_t>(std::time(nullptr));
  } else if (auto date = ParseDate(a.date)) {
    a.options.date = *date;
  } else {
    std::cerr << "ipsecsim: --date '" << a.date
              << "': expected a calendar date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC), "
                 "years 0001 to 9999\n";
    return 2;
  }
  for (const std::string& cidr : a.options.machineNetworks) {
    if (const auto problem = MachineNetworkProblem(cidr)) {
      std::cerr << "ipsecsim: --machine-network '" << cidr
                << "': expected a network like 10.0.0.0/16 or fd00::/64 (an address without "
                   "host bits, a prefix length from 1 to 32 or 128) ["
                << *problem << "]\n";
      return 2;
    }
  }
  check::Findings findings = check::RunCheck(a.options);
  // File by file, in the order files first appear, each in line order.
  std::vector<std::string> order;
  for (const check::Finding& f : findings.items)
    if (std::find(order.begin(), order.end(), f.file) == order.end()) order.push_back(f.file);
  std::stable_sort(findings.items.begin(), findings.items.end(),
                   [&](const check::Finding& x, const check::Finding& y) {
                     const auto fx = std::find(order.begin(), order.end(), x.file);
                     const auto fy = std::find(order.begin(), order.end(), y.file);
                     return fx != fy ? fx < fy : x.line < y.line;
                   });
  int counts[4] = {0, 0, 0, 0};
  for (const check::Finding& f : findings.items) {
    ++counts[static_cast<int>(f.level)];
    if (f.level == check::Level::kNote && !a.notes) continue;
    std::cout << f.Format() << "\n";
  }
  std::cout << "ipsecsim check: " << counts[3] << " malformed, " << counts[2] << " errors, "
            << counts[1] << " warnings, " << counts[0] << " notes\n";
  return findings.ExitCode();
}

}  // namespace

void AddCheckCommand(CLI::App& app, std::function<int()>* action) {
  auto args = std::make_shared<CheckArgs>();
  auto* check = app.add_subcommand(
      "check",
      "Check the external-endpoint files (Libreswan conf, PKCS#12, CA, Butane or "
      "MachineConfig) before rollout, without simulating");
  check->add_option("files", args->options.files, "the files, in any order")->required();
  check
      ->add_option(
          "--date", args->date,
          "when certificates must be valid: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now)")
      ->each([args](const std::string&) { args->dateGiven = true; });
  check
      ->add_option("--password", args->options.password,
                   "the PKCS#12 password (default: the import script's -W, else empty)")
      ->each([args](const std::string&) { args->options.passwordGiven = true; });
  check->add_option("-d,--files-dir", args->options.filesDir,
                    "butane -d: where contents.local paths are read from");
  check->add_option("--machine-network", args->options.machineNetworks,
                    "the node network CIDR (repeatable): selectors spanning it are flagged");
  check->add_flag("--no-notes{false}", args->notes, "print only warnings and errors");
  check->callback([args, action] { *action = [args] { return Check(*args); }; });
}

}  // namespace ipsecsim::cli
