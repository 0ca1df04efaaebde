#include "progress_line.h"

#include <algorithm>
#include <cstdio>

#include "report_text.h"

namespace ipsecsim::cli {

namespace {

constexpr double kRedrawSeconds = 0.25;

std::string Fixed(const char* format, double value) {
  char text[48];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// 1234567 -> "1.2M", 45600 -> "45.6k".
std::string Rate(double perSecond) {
  if (perSecond >= 1e6) return Fixed("%.1fM", perSecond / 1e6);
  if (perSecond >= 1e3) return Fixed("%.1fk", perSecond / 1e3);
  return Fixed("%.0f", perSecond);
}

std::string Duration(double seconds) {
  // An early estimate can be absurd; it must still convert to a long.
  const long s = long(std::min(std::max(seconds, 0.0), 3.6e8) + 0.5);
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

}  // namespace

ProgressLine::ProgressLine(std::ostream& out, std::string scenario, size_t columns)
    : out_(out), scenario_(std::move(scenario)), columns_(columns) {}

std::string ProgressLine::Format(const std::string& scenario, const harness::RunProgress& p,
                                 double wallSeconds, size_t columns) {
  std::string line = scenario + "  sim " + Fixed("%.1f", p.now) + " s";
  if (p.end > 0) {
    line += " / " + Fixed("%.1f", p.end) + " s (" +
            Fixed("%.0f", 100.0 * std::min(1.0, p.now / p.end)) + "%)";
  }
  if (wallSeconds > 0) line += "  " + Rate(double(p.events) / wallSeconds) + " events/s";
  if (p.end > 0 && p.now > 0 && wallSeconds > 0) {
    const double remaining = std::max(0.0, p.end - p.now) * wallSeconds / p.now;
    line += "  ETA " + Duration(remaining);
  } else if (p.end <= 0) {
    line += "  end: when the procedure has settled";
  }
  if (!p.step.empty()) line += "  " + p.step;
  // The cursor stays in the last column, so the line stops one before it.
  return harness::FitToColumns(line, columns > 1 ? columns - 1 : 0);
}

void ProgressLine::Update(const harness::RunProgress& p) {
  const Clock::time_point now = Clock::now();
  if (p.finished) {
    if (drawn_) out_ << "\r\033[K" << std::flush;
    drawn_ = false;
    return;
  }
  if (drawn_ && std::chrono::duration<double>(now - lastDrawn_).count() < kRedrawSeconds) return;
  const double wall = std::chrono::duration<double>(now - start_).count();
  out_ << "\r" << Format(scenario_, p, wall, columns_) << "\033[K" << std::flush;
  lastDrawn_ = now;
  drawn_ = true;
}

}  // namespace ipsecsim::cli
