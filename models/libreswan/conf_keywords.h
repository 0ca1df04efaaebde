// The keywords of Libreswan's ipsec.conf (the ipsec.conf(5) man page of
// Libreswan 4.10: its CONN SECTIONS and CONFIG SECTIONS), with the values
// Libreswan checks while reading the file. A left* keyword stands for its
// right* twin as well.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ipsecsim::libreswan {

enum class KeywordSection { kConfigSetup, kConn };

enum class ValueKind {
  kText,      // checked later by pluto, if at all
  kBool,      // yes/no/true/false/on/off: anything else is a syntax error
  kEnum,      // one of `values`: anything else is "invalid value"
  kSubnet,    // address/prefix, checked when the conn is loaded
  kProtoPort  // proto/port, checked when the conn is loaded
};

struct Keyword {
  std::string_view name;  // the left form for left/right pairs
  KeywordSection section;
  ValueKind kind;
  std::vector<std::string_view> values;  // kEnum only
  bool modelled;                         // ipsecsim acts on it; otherwise the checker names it
};

// The keyword `key` (e.g. "rightsubnet" finds the "leftsubnet" entry), or
// nullptr when Libreswan does not know it.
const Keyword* FindKeyword(std::string_view key);

// "rightsubnet" -> "leftsubnet"; other keys unchanged.
std::string LeftForm(std::string_view key);

bool IsValidBool(std::string_view value);

// The value an enum alias stands for (keywords.c): auto=route is ondemand,
// auto=up is start, ikev2=yes is propose, ikev2=always is insist, ...
std::string CanonicalValue(std::string_view key, std::string_view value);

}  // namespace ipsecsim::libreswan
