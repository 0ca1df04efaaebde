// The ipsecsim command line.
#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>

#include "build_info.h"
#include "cli_check.h"
#include "cli_esp.h"
#include "cli_numbers.h"
#include "cli_run.h"
#include "cli_sweep.h"

int main(int argc, char** argv) {
  const std::string version = "ipsecsim " + ipsecsim::harness::BuildSummary();
  CLI::App app{version + "\nIPsec in OpenShift/OKD OVN-Kubernetes clusters, simulated"};
  app.set_version_flag("--version", version, "print the version and build, then exit");
  app.require_subcommand(1);
  std::function<int()> action;
  ipsecsim::cli::AddEspCommand(app, &action);
  ipsecsim::cli::AddRunCommand(app, &action);
  ipsecsim::cli::AddSweepCommand(app, &action);
  ipsecsim::cli::AddCheckCommand(app, &action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    return action ? action() : 2;
  } catch (const ipsecsim::cli::UsageError& e) {
    std::cerr << "ipsecsim: " << e.message << "\n";
    return 2;
  }
}
