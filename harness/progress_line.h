// The live progress line on stderr while a scenario simulates: simulated
// time against the end, events per second, the lifecycle step and the ETA,
// redrawn in place at most four times a second and erased at the end.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include "runner.h"

namespace ipsecsim::cli {

class ProgressLine {
 public:
  ProgressLine(std::ostream& out, std::string scenario, size_t columns);
  void Update(const harness::RunProgress& p);

  // The text of one line, at most `columns` display columns (tests).
  static std::string Format(const std::string& scenario, const harness::RunProgress& p,
                            double wallSeconds, size_t columns);

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& out_;
  std::string scenario_;
  size_t columns_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point lastDrawn_{};
  bool drawn_ = false;
};

}  // namespace ipsecsim::cli
