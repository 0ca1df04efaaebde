#include "cli_run.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>

#include "cli_numbers.h"
#include "cli_scenario_file.h"
#include "progress_line.h"
#include "report.h"
#include "report_files.h"
#include "runner.h"
#include "scenario.h"
#include "terminal.h"

namespace ipsecsim::cli {

namespace {

struct RunArgs {
  std::vector<std::string> files;
  std::string out;
  bool pcap = false;
  bool certs = false;
  std::string seed;
  bool strict = false;
  bool progress = false;  // forced on
  bool quiet = false;     // forced off
  bool verbose = false;
  bool sas = false;
  bool outGiven = false;
  bool seedGiven = false;
};

// What one scenario of a batch came to, for the summary.
struct Outcome {
  std::string name;
  int status = 0;  // 0 held, 1 an expectation failed (or none, with --strict), 2 not written
  int passed = 0;
  int failed = 0;
  bool checksNothing = false;  // no expectations
};

// What a run will write in `dir`, refused before any simulation: a report
// path that is a directory, or an output directory that is a file.
std::string OutputProblem(const std::string& dir, const harness::Scenario& sc,
                          const harness::RunOptions& options) {
  namespace fs = std::filesystem;
  std::vector<std::string> files = {"report.json", "junit.xml"};
  if (sc.lifecycle) files.push_back("timeline.csv");
  std::vector<std::string> dirs;
  if (options.pcap) dirs = {"pcap", "keys"};
  if (options.certs) dirs.push_back("certs");
  std::error_code error;
  for (const std::string& name : files) {
    const fs::path path = fs::path(dir) / name;
    if (fs::exists(path, error) && !fs::is_regular_file(path, error))
      return path.string() + ": expected a file that can be replaced, got a directory or device";
  }
  for (const std::string& name : dirs) {
    const fs::path path = fs::path(dir) / name;
    fs::create_directories(path, error);
    if (error || !fs::is_directory(path))
      return path.string() + ": expected a directory that can be created, got: " +
             (error ? error.message() : "not a directory");
  }
  if (access(dir.c_str(), W_OK) != 0)
    return dir + ": expected a directory this user can write to: " + std::strerror(errno);
  return "";
}

// Simulates one scenario, writes its reports and prints its table.
Outcome RunAndReport(const harness::Scenario& sc, const std::string& dir,
                     harness::RunOptions options, const RunArgs& a) {
  options.outDir = dir;
  const bool strict = a.strict;
  harness::TableOptions table;
  table.columns = TerminalColumns();
  table.verbose = a.verbose;
  table.sas = a.sas;
  // On a terminal unless --quiet; elsewhere (CI logs, stderr to a file)
  // only with --progress.
  std::unique_ptr<ProgressLine> progress;
  if (a.progress || (!a.quiet && StdoutIsTerminal() && StderrIsTerminal())) {
    progress = std::make_unique<ProgressLine>(std::cerr, sc.name, table.columns);
    options.onProgress = [&progress](const harness::RunProgress& p) { progress->Update(p); };
  }
  Outcome outcome;
  outcome.name = sc.name;
  harness::RunReport report;
  try {
    // Outputs were checked before; what still fails (a full disk, a
    // directory changed meanwhile) is reported, not thrown.
    report = harness::RunScenario(sc, options);
    harness::WriteJsonReport(report, dir + "/report.json");
    if (report.lifecycle)
      harness::WriteReportFile(dir + "/timeline.csv",
                               harness::LifecycleTimelineCsv(*report.lifecycle));
    harness::WriteJunitReport(report, dir + "/junit.xml");
  } catch (const std::runtime_error& e) {
    std::cerr << "ipsecsim: " << e.what() << "\n";
    outcome.status = 2;
    return outcome;
  }
  outcome.passed = report.PassedExpectations();
  outcome.failed = report.FailedExpectations();
  outcome.checksNothing = report.expectations.empty();
  outcome.status = outcome.failed > 0 || (strict && outcome.checksNothing) ? 1 : 0;
  std::cout << harness::FormatTable(report, table);
  if (outcome.checksNothing && strict)
    std::cout << "FAIL (--strict: a scenario must check something)\n";
  std::cout << "reports: " << dir << "/report.json, " << dir << "/junit.xml\n\n";
  return outcome;
}

std::string Names(const std::vector<Outcome>& outcomes, bool (*pick)(const Outcome&)) {
  std::string names;
  for (const Outcome& o : outcomes)
    if (pick(o)) names += (names.empty() ? "" : ", ") + o.name;
  return names;
}

// The batch's totals, after the last scenario's table.
void PrintSummary(const std::vector<Outcome>& outcomes, bool strict) {
  int held = 0, failed = 0, empty = 0, passedChecks = 0, failedChecks = 0;
  for (const Outcome& o : outcomes) {
    held += o.status == 0 && !o.checksNothing;
    failed += o.status != 0 && !o.checksNothing;
    empty += o.checksNothing;
    passedChecks += o.passed;
    failedChecks += o.failed;
  }
  std::cout << "SUMMARY " << outcomes.size() << " scenarios: " << held << " passed, " << failed
            << " failed, " << empty << " with no expectations"
            << (strict && empty > 0 ? " (failed: --strict)" : "") << "; expectations "
            << passedChecks << " passed, " << failedChecks << " failed\n";
  const std::string failing =
      Names(outcomes, [](const Outcome& o) { return o.status != 0 && !o.checksNothing; });
  if (!failing.empty()) std::cout << "failed: " << failing << "\n";
  const std::string unchecked = Names(outcomes, [](const Outcome& o) { return o.checksNothing; });
  if (!unchecked.empty()) std::cout << "no expectations: " << unchecked << "\n";
}

int Run(const RunArgs& a) {
  harness::RunOptions options;
  options.pcap = a.pcap;
  options.certs = a.certs;
  if (a.outGiven && a.out.empty())
    throw UsageError{"--out: expected a directory, got an empty string"};
  if (a.seedGiven) {
    // The range of the scenario's seed: ns-3 seeds are 32-bit and not zero.
    options.seed = ParseUnsigned("--seed", a.seed, 4294967295u);
    if (*options.seed == 0) throw UsageError{"--seed: expected 1 to 4294967295, got 0"};
  }
  // Load every file first, so a typo in the last one costs no simulation time.
  std::vector<harness::Scenario> scenarios;
  for (const std::string& file : a.files) scenarios.push_back(LoadScenarioArgument(file));
  // Two scenarios of one name would write to one directory.
  std::map<std::string, const std::string*> fileOfName;
  for (const harness::Scenario& sc : scenarios) {
    const auto [it, fresh] = fileOfName.emplace(sc.name, &sc.file);
    if (!fresh) {
      std::cerr << "ipsecsim: " << sc.file << ": scenario name '" << sc.name
                << "' is also the name in " << *it->second
                << "; expected unique names in one run (each names its results directory)\n";
      return 2;
    }
  }
  // Every output directory before any simulation, for the same reason.
  std::error_code outError;
  if (!a.out.empty() && std::filesystem::exists(a.out, outError) &&
      !std::filesystem::is_directory(a.out, outError)) {
    std::cerr << "ipsecsim: --out " << a.out
              << ": expected a directory that can be created, got: not a directory\n";
    return 2;
  }
  std::vector<std::string> dirs;
  for (const harness::Scenario& sc : scenarios) {
    // One layout whatever the number of files: DIR/<scenario name>/.
    const std::string dir = (a.out.empty() ? std::string("results") : a.out) + "/" + sc.name;
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error || !std::filesystem::is_directory(dir)) {
      std::cerr << "ipsecsim: " << (a.out.empty() ? "output directory" : "--out") << " " << dir
                << ": expected a directory that can be created, got: "
                << (error ? error.message() : "not a directory") << "\n";
      return 2;
    }
    const std::string problem = OutputProblem(dir, sc, options);
    if (!problem.empty()) {
      std::cerr << "ipsecsim: " << problem << "\n";
      return 2;
    }
    dirs.push_back(dir);
  }
  int status = 0;  // the worst: 0 all hold, 1 an expectation failed, 2 a report not written
  std::vector<Outcome> outcomes;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    // Each run assigns its own random streams: a scenario reports the same
    // here as alone, whatever ran before it.
    outcomes.push_back(RunAndReport(scenarios[i], dirs[i], options, a));
    status = std::max(status, outcomes.back().status);
  }
  if (outcomes.size() > 1) PrintSummary(outcomes, a.strict);
  return status;
}

}  // namespace

void AddRunCommand(CLI::App& app, std::function<int()>* action) {
  auto args = std::make_shared<RunArgs>();
  auto* run = app.add_subcommand("run", "Simulate scenarios and report which flows are encrypted");
  run->add_option("files", args->files, "scenario YAML files")->required();
  CLI::Option* out =
      run->add_option("--out", args->out,
                      "write each scenario's reports in DIR/<scenario name>/ (default DIR: "
                      "results)")
          ->type_name("DIR");
  run->add_flag("--pcap", args->pcap,
                "write pcap/*.pcap and the keys for Wireshark in keys/, beside the reports");
  run->add_flag("--certs", args->certs,
                "write the operator CA and node certificates in certs/*.pem, beside the reports");
  CLI::Option* seed = run->add_option("--seed", args->seed, "override the scenario's seed");
  run->add_flag("--strict", args->strict, "fail (exit 1) a scenario that has no expectations");
  CLI::Option* progress = run->add_flag(
      "--progress", args->progress,
      "show the progress line on stderr even when stdout or stderr is not a terminal");
  run->add_flag("--quiet", args->quiet, "no progress line, even on a terminal")->excludes(progress);
  run->add_flag("--verbose", args->verbose,
                "list every lifecycle pair that is not up, with its cause (always in report.json)");
  run->add_flag("--sas", args->sas,
                "list every node's IKE and Child SAs at the end, like swanctl --list-sas (always "
                "in report.json)");
  run->callback([args, action, out, seed] {
    args->outGiven = out->count() > 0;
    args->seedGiven = seed->count() > 0;
    *action = [args] { return Run(*args); };
  });
}

}  // namespace ipsecsim::cli
