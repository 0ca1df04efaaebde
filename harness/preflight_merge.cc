#include "preflight_merge.h"

#include <map>

namespace ipsecsim::harness {
namespace {

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

PreflightFinding Render(const PairFinding& p, const std::string& from, const std::string& to) {
  PreflightFinding f;
  f.from = from;
  f.to = to;
  f.traffic = p.traffic;
  f.status = p.status;
  f.cause = p.cause;
  f.affectsIpsec = p.affectsIpsec;
  f.consequence = Replace(Replace(p.consequence, "{a}", PeerName(from)), "{b}", PeerName(to));
  const std::string between = from == "*" && to == "*" ? std::string("between all nodes")
                                                       : PeerName(from) + " → " + PeerName(to);
  f.text = p.trafficName + " " + p.status + " " + between + " by " + p.cause + "; " + f.consequence;
  return f;
}

// Everything but the peers.
std::string KindOf(const PairFinding& p) {
  return p.traffic + '\n' + p.status + '\n' + p.cause + '\n' + p.consequence + '\n' +
         (p.affectsIpsec ? "1" : "0");
}

}  // namespace

std::string PeerName(const std::string& node) { return node == "*" ? "every other node" : node; }

std::vector<PreflightFinding> MergePeers(const std::vector<PairFinding>& pairs, size_t nodeCount) {
  std::map<std::string, std::vector<size_t>> byTo, byFrom;
  for (size_t i = 0; i < pairs.size(); ++i) {
    byTo[KindOf(pairs[i]) + '\t' + pairs[i].to].push_back(i);
    byFrom[KindOf(pairs[i]) + '\t' + pairs[i].from].push_back(i);
  }
  std::vector<bool> done(pairs.size(), false);
  // A group stands for "every other node" when it has all of them (and more than one).
  auto whole = [&](const std::vector<size_t>& group) {
    if (nodeCount < 3 || group.size() != nodeCount - 1) return false;
    for (size_t i : group)
      if (done[i]) return false;
    return true;
  };
  std::vector<PreflightFinding> out;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (done[i]) continue;
    const PairFinding& p = pairs[i];
    const std::vector<size_t>& toGroup = byTo[KindOf(p) + '\t' + p.to];
    const std::vector<size_t>& fromGroup = byFrom[KindOf(p) + '\t' + p.from];
    if (p.from != "*" && p.to != "*" && whole(toGroup)) {
      for (size_t j : toGroup) done[j] = true;
      out.push_back(Render(p, "*", p.to));
    } else if (p.from != "*" && p.to != "*" && whole(fromGroup)) {
      for (size_t j : fromGroup) done[j] = true;
      out.push_back(Render(p, p.from, "*"));
    } else {
      done[i] = true;
      out.push_back(Render(p, p.from, p.to));
    }
  }
  for (size_t n = 0; n < out.size(); ++n) out[n].id = "P" + std::to_string(n + 1);
  return out;
}

}  // namespace ipsecsim::harness
