#include "cli_run.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>

#include "artifact_kind.h"
#include "cli_numbers.h"
#include "report.h"
#include "report_files.h"
#include "runner.h"
#include "scenario.h"

namespace ipsecsim::cli {

namespace {

struct RunArgs {
  std::vector<std::string> files;
  std::string out;
  bool pcap = false;
  bool certs = false;
  std::string seed;
};

// Simulates one scenario, writes its reports and prints its table; 0 when
// every expectation holds, 1 otherwise.
int RunAndReport(const harness::Scenario& sc, const std::string& dir, harness::RunOptions options) {
  options.outDir = dir;
  const harness::RunReport report = harness::RunScenario(sc, options);
  harness::WriteJsonReport(report, dir + "/report.json");
  if (report.lifecycle)
    harness::WriteReportFile(dir + "/timeline.csv",
                             harness::LifecycleTimelineCsv(*report.lifecycle));
  harness::WriteJunitReport(report, dir + "/junit.xml");
  std::cout << harness::FormatTable(report) << "reports: " << dir << "/report.json, " << dir
            << "/junit.xml\n\n";
  return report.AllExpectationsPass() ? 0 : 1;
}

int Run(const RunArgs& a) {
  harness::RunOptions options;
  options.pcap = a.pcap;
  options.certs = a.certs;
  if (!a.seed.empty()) options.seed = ParseUnsigned("--seed", a.seed, UINT64_MAX);
  // Load every file first, so a typo in the last one costs no simulation time.
  std::vector<harness::Scenario> scenarios;
  for (const std::string& file : a.files) {
    // The external-endpoint files and other look-alikes are named, never
    // misread as a scenario or dumped to the terminal.
    const check::Artifact artifact = check::IdentifyFile(file);
    if (artifact.kind != check::ArtifactKind::kScenario &&
        artifact.kind != check::ArtifactKind::kText &&
        artifact.kind != check::ArtifactKind::kMissing) {
      std::cerr << "ipsecsim: " << file << ": this looks like " << check::KindName(artifact.kind)
                << ", not a scenario; " << check::HowToPass(artifact.kind) << "\n";
      return 2;
    }
    try {
      scenarios.push_back(harness::LoadScenarioFile(file));
    } catch (const harness::ScenarioError& e) {
      std::cerr << "ipsecsim: " << e.what() << "\n";
      return 2;
    }
  }
  // Every output directory before any simulation, for the same reason.
  std::vector<std::string> dirs;
  for (const harness::Scenario& sc : scenarios) {
    std::string dir = "results/" + sc.name;
    if (!a.out.empty()) dir = scenarios.size() == 1 ? a.out : a.out + "/" + sc.name;
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error || !std::filesystem::is_directory(dir)) {
      std::cerr << "ipsecsim: " << (a.out.empty() ? "output directory" : "--out") << " " << dir
                << ": expected a directory that can be created, got: "
                << (error ? error.message() : "not a directory") << "\n";
      return 2;
    }
    dirs.push_back(dir);
  }
  int status = 0;  // the worst: 0 all hold, 1 an expectation failed
  for (size_t i = 0; i < scenarios.size(); ++i) {
    // Each run assigns its own random streams: a scenario reports the same
    // here as alone, whatever ran before it.
    status = std::max(status, RunAndReport(scenarios[i], dirs[i], options));
  }
  return status;
}

}  // namespace

void AddRunCommand(CLI::App& app, std::function<int()>* action) {
  auto args = std::make_shared<RunArgs>();
  auto* run = app.add_subcommand("run", "Simulate scenarios and report which flows are encrypted");
  run->add_option("files", args->files, "scenario YAML files")->required();
  run->add_option("--out", args->out,
                  "output directory (default results/<scenario name>; with several files, "
                  "one subdirectory each)");
  run->add_flag("--pcap", args->pcap, "write DIR/pcap/*.pcap and the keys in DIR/keys/esp_sa");
  run->add_flag("--certs", args->certs,
                "write the operator CA and node certificates to DIR/certs/*.pem");
  run->add_option("--seed", args->seed, "override the scenario's seed");
  run->callback([args, action] { *action = [args] { return Run(*args); }; });
}

}  // namespace ipsecsim::cli
