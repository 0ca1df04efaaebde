#include "cli_sweep.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli_numbers.h"
#include "cli_scenario_file.h"
#include "terminal.h"

namespace ipsecsim::cli {

namespace {

// Beyond this a grid is more likely a typo than a plan: at a second a run,
// a day and more on one machine.
constexpr uint64_t kMaxRuns = 100000;
constexpr uint64_t kMaxSeed = 4294967295u;

struct SweepArgs {
  std::string file;
  std::vector<std::string> params;
  std::string seeds;
  std::string out;
  std::string dask;
  std::string processes;
  bool progress = false;
  bool quiet = false;
  bool seedsGiven = false;
};

// The number of values of each --param PATH=V1,V2; the paths and values
// themselves are the engine's to check against the scenario.
uint64_t CountPoints(const std::vector<std::string>& params) {
  uint64_t points = 1;
  std::set<std::string> paths;
  for (const std::string& param : params) {
    const size_t eq = param.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == param.size())
      throw UsageError{"--param " + param +
                       ": expected PATH=VALUE[,VALUE...] such as cluster.pools[1].nodes=3,10"};
    const std::string path = param.substr(0, eq);
    if (!paths.insert(path).second)
      throw UsageError{"--param " + param + ": " + path +
                       " is already a parameter; give its values in one --param"};
    uint64_t values = 1;
    for (size_t at = eq + 1;; ++values) {
      const size_t comma = param.find(',', at);
      if (comma == at || at == param.size())
        throw UsageError{"--param " + param + ": expected a value between every two commas"};
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
    points = std::min(points * values, kMaxRuns + 1);
  }
  return points;
}

// "1-5,9" as its seeds, each from 1 to 4294967295, none twice; returns the
// count and sets `normal` to the same list in decimal.
uint64_t ParseSeeds(const std::string& text, std::string* normal) {
  const std::string expected = "expected seeds like 1-5 or 1,3,7 (each from 1 to 4294967295)";
  if (text.empty()) throw UsageError{"--seeds: " + expected + ", got ''"};
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  uint64_t count = 0;
  size_t at = 0;
  while (at <= text.size()) {
    const size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    const size_t dash = item.find('-');
    const std::string lowText = item.substr(0, dash);
    const std::string highText = dash == std::string::npos ? lowText : item.substr(dash + 1);
    const uint64_t low = ParseUnsigned("--seeds", lowText, kMaxSeed);
    const uint64_t high = ParseUnsigned("--seeds", highText, kMaxSeed);
    if (low == 0 || high == 0) throw UsageError{"--seeds: " + expected + ", got 0"};
    if (low > high) throw UsageError{"--seeds: expected a range from low to high, got " + item};
    for (const auto& [l, h] : ranges)
      if (low <= h && l <= high)
        throw UsageError{"--seeds: " + item + " repeats a seed of " + std::to_string(l) +
                         (l == h ? "" : "-" + std::to_string(h)) + "; expected each seed once"};
    ranges.emplace_back(low, high);
    count = std::min(count + (high - low + 1), kMaxRuns + 1);
    *normal += (normal->empty() ? "" : ",") + std::to_string(low) +
               (low == high ? "" : "-" + std::to_string(high));
    at = comma + 1;
  }
  return count;
}

bool AllOf(const std::string& text, const char* allowed) {
  return !text.empty() && text.find_first_not_of(allowed) == std::string::npos;
}

// tcp://HOST:PORT, tls://HOST:PORT or HOST:PORT, as distributed.Client takes
// it: HOST a name of letters, digits, '.', '_' and '-' (DNS-sized labels), or
// [an IPv6 address]; PORT 1..65535. Scanned, not matched with std::regex,
// whose matcher recurses once per character: a 130,000-character --dask
// overflowed the stack.
void CheckDaskAddress(const std::string& address) {
  std::string rest = address;
  if (rest.rfind("tcp://", 0) == 0 || rest.rfind("tls://", 0) == 0) rest = rest.substr(6);
  const size_t colon = rest.rfind(':');
  const std::string host = colon == std::string::npos ? "" : rest.substr(0, colon);
  const std::string port = colon == std::string::npos ? "" : rest.substr(colon + 1);
  // A name within DNS's bounds (RFC 1035 2.3.4: labels of 63 octets or
  // less, names of 255 or less; 253 written without the root's dot).
  const std::string dns =
      !host.empty() && host.back() == '.' ? host.substr(0, host.size() - 1) : host;  // a root's dot
  bool labels = dns.size() <= 253;
  for (size_t at = 0; labels && at <= dns.size();) {
    const size_t dot = std::min(dns.find('.', at), dns.size());
    labels = dot - at >= 1 && dot - at <= 63;
    at = dot + 1;
  }
  const bool name =
      labels && AllOf(host, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
  const bool ipv6 = host.size() > 2 && host.front() == '[' && host.back() == ']' &&
                    AllOf(host.substr(1, host.size() - 2), "0123456789ABCDEFabcdef:");
  const bool portOk = AllOf(port, "0123456789") && port.size() <= 5 && std::stoul(port) >= 1 &&
                      std::stoul(port) <= 65535;
  if (!(name || ipv6) || !portOk)
    throw UsageError{
        "--dask: expected a Dask scheduler address such as tcp://scheduler:8786, "
        "got '" +
        harness::PrintableText(address) + "'"};
}

bool EndsWith(const std::string& text, const std::string& tail) {
  return text.size() > tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

void CheckTable(const std::string& out) {
  namespace fs = std::filesystem;
  if (!EndsWith(out, ".csv") && !EndsWith(out, ".parquet"))
    throw UsageError{"--out " + out + ": expected a table name ending in .csv or .parquet"};
  std::error_code error;
  if (fs::exists(out, error) && !fs::is_regular_file(out, error))
    throw UsageError{"--out " + out +
                     ": expected a file that can be replaced, got a directory "
                     "or device"};
  const fs::path parent = fs::path(out).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  fs::create_directories(dir, error);
  if (error || !fs::is_directory(dir))
    throw UsageError{"--out " + out + ": expected a directory that can be created for it, got: " +
                     (error ? error.message() : dir + " is not a directory")};
  if (access(dir.c_str(), W_OK) != 0)
    throw UsageError{"--out " + out +
                     ": expected a directory this user can write to: " + std::strerror(errno)};
}

int Sweep(const SweepArgs& a) {
  const harness::Scenario scenario = LoadScenarioArgument(a.file);
  std::vector<std::string> argv = {IPSECSIM_PYTHON, "-m", "ipsecsim.sweep_cli", a.file};
  const uint64_t points = CountPoints(a.params);
  for (const std::string& param : a.params) argv.insert(argv.end(), {"--param", param});
  uint64_t seeds = 1;
  std::string normalSeeds;
  if (a.seedsGiven) {
    seeds = ParseSeeds(a.seeds, &normalSeeds);
    argv.insert(argv.end(), {"--seeds", normalSeeds});
  }
  if (points * seeds > kMaxRuns)
    throw UsageError{"expected at most " + std::to_string(kMaxRuns) + " runs in a sweep, got " +
                     std::to_string(points) + " points x " + std::to_string(seeds) + " seeds"};
  if (!a.processes.empty()) {
    if (ParseUnsigned("--processes", a.processes, 1024) == 0)
      throw UsageError{"--processes: expected 1 to 1024, got 0"};
    argv.insert(argv.end(), {"--processes", a.processes});
  }
  if (!a.dask.empty()) {
    CheckDaskAddress(a.dask);
    argv.insert(argv.end(), {"--dask", a.dask});
  }
  const std::string out = a.out.empty() ? "results/" + scenario.name + "/sweep.csv" : a.out;
  CheckTable(out);
  argv.insert(argv.end(), {"--out", out});
  argv.push_back(a.progress || (!a.quiet && StderrIsTerminal()) ? "--progress" : "--quiet");

  const std::string module = std::string(IPSECSIM_PYTHON_DIR) + "/ipsecsim/sweep_cli.py";
  if (access(module.c_str(), R_OK) != 0)
    throw UsageError{"sweep: expected the ipsecsim Python module at " + module +
                     " (it is built with this binary): " + std::strerror(errno)};
  const char* old = std::getenv("PYTHONPATH");
  const std::string path =
      std::string(IPSECSIM_PYTHON_DIR) + (old && *old ? std::string(":") + old : "");
  setenv("PYTHONPATH", path.c_str(), 1);
  // An instrumented binary's module needs the sanitizer runtimes in the
  // uninstrumented interpreter before it loads (CMakeLists.txt
  // IPSECSIM_SANITIZER_RUNTIMES; empty in other builds): without them the
  // import failed with "undefined symbol: __ubsan_vptr_type_cache".
  // CPython's own allocations at exit are not leaks of ours (tests/python sets
  // the same); a later ASAN_OPTIONS entry overrides an earlier one.
  if (*IPSECSIM_PYTHON_PRELOAD) {
    setenv("LD_PRELOAD", IPSECSIM_PYTHON_PRELOAD, 1);
    const char* options = std::getenv("ASAN_OPTIONS");
    const std::string asan =
        (options && *options ? std::string(options) + ":" : std::string()) + "detect_leaks=0";
    setenv("ASAN_OPTIONS", asan.c_str(), 1);
  }
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  std::cout.flush();
  execv(IPSECSIM_PYTHON, args.data());
  throw UsageError{std::string("sweep: expected to start ") + IPSECSIM_PYTHON + ": " +
                   std::strerror(errno)};
}

}  // namespace

void AddSweepCommand(CLI::App& app, std::function<int()>* action) {
  auto args = std::make_shared<SweepArgs>();
  auto* sweep = app.add_subcommand(
      "sweep", "Run a scenario over a grid of parameters and seeds into one CSV or Parquet table");
  sweep->add_option("scenario", args->file, "the scenario YAML file")->required();
  sweep
      ->add_option("--param", args->params,
                   "a parameter and its values: a path into the scenario's keys such as "
                   "cluster.pools[1].nodes or cluster.pools[name=worker].nodes, = and the "
                   "values separated by commas; repeat for more (their product is run)")
      ->type_name("PATH=V1,V2")
      ->allow_extra_args(false);
  CLI::Option* seeds =
      sweep->add_option("--seeds", args->seeds,
                        "the seeds each point runs at, such as 1-5 or 1,3,7 (default: the "
                        "scenario's)");
  sweep
      ->add_option("--out", args->out,
                   "the table: .csv, or .parquet with pyarrow (default: "
                   "results/<scenario name>/sweep.csv)")
      ->type_name("TABLE");
  CLI::Option* dask =
      sweep->add_option("--dask", args->dask,
                        "run on the Dask cluster of this scheduler, such as tcp://scheduler:8786 "
                        "(its workers need the ipsecsim module)");
  sweep->add_option("--processes", args->processes, "local processes (default: one per CPU)")
      ->type_name("N")
      ->excludes(dask);
  CLI::Option* progress = sweep->add_flag(
      "--progress", args->progress, "show the progress line even when stderr is not a terminal");
  sweep->add_flag("--quiet", args->quiet, "no progress line, even on a terminal")
      ->excludes(progress);
  sweep->callback([args, action, seeds] {
    args->seedsGiven = seeds->count() > 0;
    *action = [args] { return Sweep(*args); };
  });
}

}  // namespace ipsecsim::cli
