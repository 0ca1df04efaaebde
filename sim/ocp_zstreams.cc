#include "ocp_zstreams.h"

#include <algorithm>

namespace ipsecsim::sim {
namespace {

struct MinorCatalogue {
  int minor;
  int last;                  // the highest z-stream in candidate-4.N
  std::vector<int> missing;  // numbers below it that never shipped
};

// candidate-4.N.yaml at cincinnati-graph-data 731d04247 (2026-08-21).
const std::vector<MinorCatalogue> kCatalogue = {
    {12, 96, {52}},     {13, 70, {20, 47}}, {14, 72, {47, 64}}, {15, 67, {1, 4}},
    {16, 69, {22, 31}}, {17, 56, {}},       {18, 54, {0}},      {19, 44, {}},
};

const MinorCatalogue* Find(int minor) {
  for (const MinorCatalogue& c : kCatalogue)
    if (c.minor == minor) return &c;
  return nullptr;
}

bool Shipped(const MinorCatalogue& c, int z) {
  return z >= 0 && z <= c.last &&
         std::find(c.missing.begin(), c.missing.end(), z) == c.missing.end();
}

}  // namespace

std::optional<int> FirstZStream(int minor) {
  const MinorCatalogue* c = Find(minor);
  if (!c) return std::nullopt;
  for (int z = 0; z <= c->last; ++z)
    if (Shipped(*c, z)) return z;
  return std::nullopt;
}

OcpVersion Resolve(OcpVersion v) {
  if (!v.patchGiven) {
    if (auto z = FirstZStream(v.minor)) v.patch = *z;
  }
  return v;
}

std::optional<std::string> NotShipped(const OcpVersion& v) {
  const MinorCatalogue* c = v.major == 4 ? Find(v.minor) : nullptr;
  if (!c) return v.ToString() + " is not a modelled minor (4.12 to 4.19)";
  if (!v.patchGiven || Shipped(*c, v.patch)) return std::nullopt;
  if (v.patch > c->last)
    return v.ToString() + " was never released: 4." + std::to_string(v.minor) + " ends at 4." +
           std::to_string(v.minor) + "." + std::to_string(c->last);
  return v.ToString() + " was never released (4." + std::to_string(v.minor) + " skipped it)";
}

std::vector<UpdateRisk> IpsecUpdateRisks(const OcpVersion& from, const OcpVersion& to) {
  std::vector<UpdateRisk> out;
  if (!(from.major == 4 && from.minor == 14 && to.major == 4 && to.minor == 15)) return out;
  // blocked-edges/4.15.{0..41}-OVNIPsecConnectivity.yaml, from: 4[.]14[.].*
  if (to.patch <= 41)
    out.push_back({"OVNIPsecConnectivity",
                   "OVN clusters with enabled IPsec may lose pod to pod communication between a "
                   "set of nodes which may impact overall functionality of the cluster and even "
                   "cause production outage.",
                   "https://issues.redhat.com/browse/SDN-5422"});
  // blocked-edges/4.15.{0..48}-OVNIPsecPausedMCPConnectivity.yaml
  if (to.patch <= 48)
    out.push_back({"OVNIPsecPausedMCPConnectivity",
                   "OVN clusters with enabled IPsec may lose SDN connectivity during updates "
                   "when a worker MCP is paused.",
                   "https://issues.redhat.com/browse/CORENET-5630"});
  return out;
}

std::optional<std::string> UpdateNotAllowed(const OcpVersion& from, const OcpVersion& to) {
  if (to == from) return "the cluster already runs " + from.ZStream();
  if (to < from)
    return "a cluster cannot be updated to an older version: " + from.ZStream() + " -> " +
           to.ZStream();
  if (to.major != from.major || (to.minor != from.minor && to.minor != from.minor + 1))
    return "OpenShift updates one minor version at a time: " + from.ToString() + " -> " +
           to.ToString() + " skips a minor";
  return std::nullopt;
}

}  // namespace ipsecsim::sim
