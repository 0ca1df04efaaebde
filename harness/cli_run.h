// `ipsecsim run FILE... [--out DIR] [--pcap] [--seed N]`: runs scenarios and
// reports each flow's verdict. Exit 0 when every expectation holds, 1 when
// any fails, 2 on bad input.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace ipsecsim::cli {

void AddRunCommand(CLI::App& app, std::function<int()>* action);

}  // namespace ipsecsim::cli
