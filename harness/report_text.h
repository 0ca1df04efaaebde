// Text in terminal columns: widths of UTF-8 strings, truncation with "…"
// and padding. Every width is a count of columns, 0 included: nothing here
// subtracts from one without checking, so a narrow terminal gives short
// lines, never a huge allocation.
#pragma once

#include <cstddef>
#include <string>

namespace ipsecsim::harness {

// Terminal columns taken by UTF-8 text: one per code point (no wide glyphs here).
size_t DisplayWidth(const std::string& s);
// `s` if it fits in `width` columns, else its first width - 1 columns and
// "…" ("" for width 0).
std::string FitToColumns(const std::string& s, size_t width);
// "812.0 s"
std::string Seconds(double seconds);
// Fitted, then filled with spaces to exactly `width` columns.
std::string Pad(const std::string& s, size_t width, bool rightAligned);

}  // namespace ipsecsim::harness
