#include "report_text.h"

#include <algorithm>
#include <cstdio>

namespace ipsecsim::harness {

namespace {
bool StartsCodePoint(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }
}  // namespace

size_t DisplayWidth(const std::string& s) {
  return size_t(std::count_if(s.begin(), s.end(), StartsCodePoint));
}

std::string FitToColumns(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width) return s;
  if (width == 0) return "";
  std::string out;
  size_t columns = 0;
  for (char c : s) {
    if (StartsCodePoint(c) && ++columns > width - 1) break;  // width >= 1 here
    out += c;
  }
  return out + "\xE2\x80\xA6";  // "…"
}

std::string Seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

std::string Pad(const std::string& s, size_t width, bool rightAligned) {
  std::string cell = FitToColumns(s, width);
  const size_t used = DisplayWidth(cell);
  std::string fill(used < width ? width - used : 0, ' ');
  return rightAligned ? fill + cell : cell + fill;
}

}  // namespace ipsecsim::harness
