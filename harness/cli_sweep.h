// `ipsecsim sweep SCENARIO --param PATH=V1,V2 ... [--seeds 1-5] [--out TABLE]
// [--dask ADDRESS | --processes N]`: one scenario over a grid of parameters
// and seeds, into one CSV or Parquet table. The command line and the scenario
// are checked here (exit 2); the sweep itself is the Python engine's
// (ipsecsim.sweep_cli), which sets and loads every point before the first run.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace ipsecsim::cli {

void AddSweepCommand(CLI::App& app, std::function<int()>* action);

}  // namespace ipsecsim::cli
