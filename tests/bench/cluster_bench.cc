// Benchmark: a 6-node cluster with 20 cross-node pod flows, IPsec Full versus
// Disabled, Full on an IPv6 underlay, and both IPv4 modes with checksums off
// (none filled: RunOptions::checksums), in one invocation. Reports
// simulated underlay packets per wall second, the ratios Full / Disabled and
// Full IPv6 / Full IPv4, and peak RSS per node. Each run is a forked child so
// that its peak RSS is its own.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "runner.h"
#include "scenario.h"
#include "self_usage.h"

using namespace ipsecsim::harness;

namespace {

struct Sample {
  double wallSeconds = 0;
  double cpuSeconds = 0;  // the child's user + system time: robust to a shared machine
  double underlayPackets = 0;
  double peakRssKiB = 0;
};

struct Config {
  const char* name;
  const char* mode;
  const char* family;
  bool checksums;
};

std::string ScenarioYaml(const Config& c, int packets) {
  std::string y = "name: bench\nseed: 3\ncluster:\n  ip_family: " + std::string(c.family) +
                  "\n  pools:\n    - {name: master, nodes: 3}\n"
                  "    - {name: worker, nodes: 3}\n  ipsec: {mode: " +
                  c.mode + "}\npods:\n";
  const char* nodes[] = {"master-0", "master-1", "master-2", "worker-0", "worker-1", "worker-2"};
  for (int i = 0; i < 6; ++i) {
    y += "  - {name: p" + std::to_string(i) + ", node: " + nodes[i] + "}\n";
  }
  y += "flows:\n";
  for (int f = 0; f < 20; ++f) {
    const int from = f % 6, to = (f + 1 + f / 6) % 6;
    y += "  - {name: f" + std::to_string(f) + ", from: p" + std::to_string(from) + ", to: p" +
         std::to_string(to == from ? (to + 1) % 6 : to) +
         ", protocol: udp, port: " + std::to_string(9000 + f) +
         ", packets: " + std::to_string(packets) + ", size: 1200, start: 1s, interval: 1ms}\n";
  }
  return y;
}

Sample RunInChild(const Config& config, int packets) {
  int fd[2];
  if (pipe(fd) != 0) std::abort();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    const Scenario sc = LoadScenarioText(ScenarioYaml(config, packets), "bench.yaml");
    const auto start = std::chrono::steady_clock::now();
    RunOptions options;
    options.checksums = config.checksums;
    const RunReport r = RunScenario(sc, options);
    Sample s;
    s.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (auto& [cls, n] : r.underlayPackets) s.underlayPackets += double(n);
    const ipsecsim::bench::SelfUsage usage = ipsecsim::bench::ReadSelfUsage();
    s.peakRssKiB = usage.peakRssKiB;
    s.cpuSeconds = usage.cpuSeconds;
    if (write(fd[1], &s, sizeof s) != sizeof s) _exit(1);
    _exit(0);
  }
  close(fd[1]);
  Sample s;
  if (read(fd[0], &s, sizeof s) != sizeof s) std::abort();
  close(fd[0]);
  waitpid(pid, nullptr, 0);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const int packets = argc > 1 ? std::atoi(argv[1]) : 2000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  const Config configs[] = {{"Disabled", "Disabled", "ipv4", true},
                            {"Full", "Full", "ipv4", true},
                            {"Full IPv6", "Full", "ipv6", true},
                            {"Full nocsum", "Full", "ipv4", false},
                            {"Dis. nocsum", "Disabled", "ipv4", false}};
  constexpr int kConfigs = sizeof configs / sizeof configs[0];
  Sample total[kConfigs];
  for (int i = 0; i < rounds; ++i) {  // alternate to spread machine noise
    for (int c = 0; c < kConfigs; ++c) {
      const Sample s = RunInChild(configs[c], packets);
      total[c].wallSeconds += s.wallSeconds;
      total[c].cpuSeconds += s.cpuSeconds;
      total[c].underlayPackets = s.underlayPackets;
      total[c].peakRssKiB = std::max(total[c].peakRssKiB, s.peakRssKiB);
    }
  }
  std::printf("6 nodes, 20 cross-node UDP flows x %d packets of 1200 bytes, %d rounds\n", packets,
              rounds);
  std::printf("%-11s %16s %14s %18s %16s\n", "ipsec", "underlay pkts", "wall s/run",
              "wire pkts/wall s", "peak RSS/node");
  for (int c = 0; c < kConfigs; ++c) {
    const Sample& s = total[c];
    std::printf("%-11s %16.0f %14.3f %18.0f %13.1f MiB\n", configs[c].name, s.underlayPackets,
                s.wallSeconds / rounds, s.underlayPackets * rounds / s.wallSeconds,
                s.peakRssKiB / 1024 / 6);
  }
  const auto rate = [](const Sample& s) { return s.underlayPackets / s.wallSeconds; };
  std::printf("ratio Full / Disabled (wire packets per wall second): %.3f\n",
              rate(total[1]) / rate(total[0]));
  std::printf("ratio Full IPv6 / Full IPv4 (wire packets per wall second): %.3f\n",
              rate(total[2]) / rate(total[1]));
  // Checksums filled (every run's default) against none, in
  // CPU seconds of each child (setup included), which other load on the
  // machine does not inflate.
  for (int c = 0; c < kConfigs; ++c) {
    std::printf("%-11s cpu s/run %.3f\n", configs[c].name, total[c].cpuSeconds / rounds);
  }
  std::printf("ratio CPU time checksums off / on, Full: %.3f\n",
              total[3].cpuSeconds / total[1].cpuSeconds);
  std::printf("ratio CPU time checksums off / on, Disabled: %.3f\n",
              total[4].cpuSeconds / total[0].cpuSeconds);
  return 0;
}
