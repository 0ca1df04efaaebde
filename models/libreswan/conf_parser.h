// Reads an ipsec.conf file the way Libreswan's lexer and grammar
// (lib/libipsecconf/parser.lex, parser.y) do: `config setup`, `conn NAME`,
// `include PATTERN` (glob, sorted, relative paths against the working
// directory), `version`, comments from a `#` that starts a token, and
// settings on indented lines that continue the section above them.
#pragma once

#include <string>
#include <string_view>

#include "conf_tree.h"

namespace ipsecsim::libreswan {

struct ReadLimits {
  size_t maxFileBytes = 4 << 20;
  int maxIncludeDepth = 10;  // Libreswan's MAX_INCLUDE_DEPTH
};

// Throws ConfError where Libreswan would refuse the tree.
ConfTree ReadConfFile(const std::string& path, const ReadLimits& limits = {});
// The same for text already in memory, named `file` in messages.
ConfTree ReadConfText(std::string_view text, const std::string& file,
                      const ReadLimits& limits = {});

}  // namespace ipsecsim::libreswan
