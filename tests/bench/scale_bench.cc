// Benchmark: the cost of a cluster install against its size, for capacity
// planning. For each node count of the ladder it installs a cluster of that
// size with IPsec Full and with IPsec Disabled, alternately, each in a forked
// child so that its peak RSS is its own. The install is a lifecycle run with
// modelled IKE crypto (real ESP), no probes and one pair-state sample every
// 10 s; every node has one pod and 8 light UDP flows cross the cluster, as
// in results/scale/README.md. Reports per run the wall and CPU time, the peak RSS, the
// node pairs and how many ended up, the cost per pair (CPU and memory above
// the Disabled run of the same size), and the ratio Full / Disabled.
//
//   bench_scale [nodes...] (default 50 100 200)
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "runner.h"
#include "scenario.h"
#include "self_usage.h"

using namespace ipsecsim::harness;

namespace {

struct Sample {
  double wallSeconds = 0;
  double cpuSeconds = 0;  // the child's user + system time
  double peakRssKiB = 0;
  double simulatedSeconds = 0;
  uint64_t pairs = 0;
  uint64_t pairsUp = 0;
  uint64_t states = 0;
  bool ok = false;
};

// The cluster: three masters, the rest workers, one pod on each node, and
// 8 flows between nodes spread over the cluster.
std::string ScenarioYaml(int nodes, const char* mode) {
  std::string y =
      "name: scale\nseed: 1\ncluster:\n  version: \"4.15\"\n  pools:\n"
      "    - {name: master, nodes: 3}\n    - {name: worker, nodes: " +
      std::to_string(nodes - 3) + "}\n  ipsec: {mode: " + mode +
      "}\nlifecycle: {modelled_crypto: true, probes: {interval: 0s}, "
      "sample_interval: 10s, settle: 30s, libreswan: \"5.x\", "
      "libreswan_unshipped: true}\npods:\n";
  auto nodeName = [](int i) {
    return i < 3 ? "master-" + std::to_string(i) : "worker-" + std::to_string(i - 3);
  };
  for (int i = 0; i < nodes; ++i)
    y += "  - {name: p" + std::to_string(i) + ", node: " + nodeName(i) + "}\n";
  y += "flows:\n";
  for (int f = 0; f < 8; ++f) {
    const int from = (f * 7919) % nodes;
    int to = (from + 1 + f * (nodes / 8)) % nodes;
    if (to == from) to = (to + 1) % nodes;
    y += "  - {name: f" + std::to_string(f) + ", from: p" + std::to_string(from) + ", to: p" +
         std::to_string(to) + ", protocol: udp, port: " + std::to_string(9000 + f) +
         ", packets: 100, size: 500, start: 60s, interval: 10ms}\n";
  }
  return y;
}

Sample RunInChild(int nodes, const char* mode) {
  int fd[2];
  if (pipe(fd) != 0) std::abort();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    Sample s;
    const auto start = std::chrono::steady_clock::now();
    try {
      const Scenario sc = LoadScenarioText(ScenarioYaml(nodes, mode), "scale.yaml");
      const RunReport r = RunScenario(sc, RunOptions{});
      s.simulatedSeconds = r.simulatedSeconds;
      if (r.lifecycle) {
        s.pairs = r.lifecycle->pairs.size();
        s.pairsUp = r.lifecycle->pairsUp;
        s.states = r.lifecycle->saCount;
      }
      s.ok = true;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_scale: %d nodes %s: %s\n", nodes, mode, e.what());
    }
    s.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const ipsecsim::bench::SelfUsage usage = ipsecsim::bench::ReadSelfUsage();
    s.peakRssKiB = usage.peakRssKiB;
    s.cpuSeconds = usage.cpuSeconds;
    if (write(fd[1], &s, sizeof s) != sizeof s) _exit(1);
    _exit(0);
  }
  close(fd[1]);
  Sample s;
  if (read(fd[0], &s, sizeof s) != sizeof s) s.ok = false;
  close(fd[0]);
  waitpid(pid, nullptr, 0);
  return s;
}

// One row; baseline is the Disabled run of the same size, for Full rows.
void PrintRow(int nodes, const char* mode, const Sample& s, const Sample* baseline) {
  if (!s.ok) {
    std::printf("%6d %-8s failed\n", nodes, mode);
    return;
  }
  std::printf("%6d %-8s %9.1f %9.1f %9.0f %8llu %8llu %9llu", nodes, mode, s.wallSeconds,
              s.cpuSeconds, s.peakRssKiB / 1024, static_cast<unsigned long long>(s.pairs),
              static_cast<unsigned long long>(s.pairsUp),
              static_cast<unsigned long long>(s.states));
  if (baseline && baseline->ok && s.pairs > 0) {
    // What IPsec adds per node pair: this run less the Disabled one.
    const double pairs = double(s.pairs);
    std::printf(" %11.3f %11.2f %9.2f", (s.cpuSeconds - baseline->cpuSeconds) * 1e3 / pairs,
                (s.peakRssKiB - baseline->peakRssKiB) / pairs, s.cpuSeconds / baseline->cpuSeconds);
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> ladder;
  for (int i = 1; i < argc; ++i) ladder.push_back(std::atoi(argv[i]));
  if (ladder.empty()) ladder = {50, 100, 200};
  std::printf("%6s %-8s %9s %9s %9s %8s %8s %9s %11s %11s %9s\n", "nodes", "ipsec", "wall s",
              "cpu s", "RSS MiB", "pairs", "up", "states", "cpu ms/pr", "KiB/pair", "Full/Dis");
  for (int nodes : ladder) {
    // Full and Disabled alternate, so that both see the same machine.
    const Sample full = RunInChild(nodes, "Full");
    const Sample disabled = RunInChild(nodes, "Disabled");
    PrintRow(nodes, "Full", full, &disabled);
    PrintRow(nodes, "Disabled", disabled, nullptr);
    std::fflush(stdout);
  }
  return 0;
}
