#include "cli_check.h"

#include <algorithm>
#include <ctime>
#include <iostream>
#include <memory>

#include "check_run.h"

namespace ipsecsim::cli {

namespace {

struct CheckArgs {
  check::CheckOptions options;
  std::string date;
  std::string password;
  bool notes = true;
};

// "2026-01-31" or "2026-01-31T12:00:00Z", as UNIX seconds.
std::optional<int64_t> ParseDate(const std::string& text) {
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char tail = 0;
  const int n =
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail);
  const bool dateOnly = n == 3 && text.size() == 10;
  const bool full = n == 7 && tail == 'Z' && text.size() == 20;
  if (!dateOnly && !full) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm));
}

int Check(CheckArgs& a) {
  if (a.date.empty()) {
    a.options.date = static_cast<int64_t>(std::time(nullptr));
  } else if (auto date = ParseDate(a.date)) {
    a.options.date = *date;
  } else {
    std::cerr << "ipsecsim: --date " << a.date << ": expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ\n";
    return 2;
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
  check->add_option(
      "--date", args->date,
      "when certificates must be valid: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now)");
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
