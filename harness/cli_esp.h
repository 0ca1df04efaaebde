// `ipsecsim esp encrypt|decrypt`: the packet lab for one ESP packet.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace ipsecsim::cli {

// Adds the esp subcommand; *action is set to the code to run when it is chosen.
void AddEspCommand(CLI::App& app, std::function<int()>* action);

}  // namespace ipsecsim::cli
