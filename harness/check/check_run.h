// `ipsecsim check`: every given file read as what it is, the files a
// MachineConfig embeds read as well, and all findings in one list.
#pragma once

#include "check_options.h"
#include "finding.h"

namespace ipsecsim::check {

Findings RunCheck(const CheckOptions& options);

}  // namespace ipsecsim::check
