// A scenario file named on the command line, loaded or refused with the
// message `ipsecsim run` and `ipsecsim sweep` both print before exiting 2.
#pragma once

#include <string>

#include "scenario.h"

namespace ipsecsim::cli {

// Throws UsageError: for the external-endpoint files and other look-alikes,
// what they look like and how to pass them; else the loader's
// FILE:LINE: KEY: message.
harness::Scenario LoadScenarioArgument(const std::string& file);

}  // namespace ipsecsim::cli
