// `ipsecsim check FILE... [--date D] [--password P] [-d DIR] [--machine-network CIDR]`:
// the preflight on the external-endpoint files alone. Exit 0 without error
// findings, 1 with, 2 when a file cannot be read as what it is.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace ipsecsim::cli {

void AddCheckCommand(CLI::App& app, std::function<int()>* action);

}  // namespace ipsecsim::cli
