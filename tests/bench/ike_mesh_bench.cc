// Benchmark: a cluster of N nodes enabling IPsec Full at once, every node's
// IKE daemon starting its N-1 "out" connections together (N x (N-1) IKE SAs,
// each with IKE_SA_INIT (MODP-2048), IKE_AUTH (RSA-2048) and a Child SA).
// The same mesh is run with real crypto and with modelled crypto
// (IkeDaemon attribute ModelledCrypto, docs/ike.md), alternately, in one
// process. Reports for each the simulated convergence time, the IKE
// messages and bytes sent (which must be equal), the wall time and IKE SAs
// established per wall second, and the modelled / real ratio. Also measured
// in the same run: what the bare crypto of one real IKE SA costs (4 D-H
// exponentiations, 2 RSA signatures, 4 RSA verifications: 2 AUTH and 2
// certificate signatures), so the real figure can be set against its bound.
//
//   bench_ike_mesh [nodes (30)] [rounds (2)]
#include <ns3/core-module.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "auth_octets.h"
#include "cluster_certificates.h"
#include "cluster_world.h"
#include "deterministic_rng.h"
#include "dh_modp2048.h"
#include "ike_daemon.h"
#include "ikev2_decryption_table.h"
#include "ipsec_ike_mesh.h"

using namespace ipsecsim;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint64_t kSeed = 11;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Wall seconds of the crypto one IKE SA needs, averaged over `rounds`.
double BareCryptoPerIkeSa(const harness::ClusterCertificates& certs, int rounds) {
  pki::DeterministicRng rng(7, "bench");
  const auto& node = certs.nodes.at(0);
  const CryptoPP::RSA::PublicKey publicKey(node.Key());
  const Bytes octets(600, 0x42);
  const auto caKey = certs.signer.Bundle().front().publicKey;
  const auto start = Clock::now();
  for (int i = 0; i < rounds; ++i) {
    auto a = ike::Modp2048KeyPair::Generate(rng);
    auto b = ike::Modp2048KeyPair::Generate(rng);
    if (!a.SharedSecret(b.PublicValue()) || !b.SharedSecret(a.PublicValue())) std::abort();
    for (int side = 0; side < 2; ++side) {
      const ike::AuthPayload auth = ike::SignAuth(node.Key(), octets);
      if (!ike::VerifyAuth(publicKey, octets, auth)) std::abort();
      if (!pki::IsSignedBy(*node.Cert(), caKey)) std::abort();
    }
  }
  return Seconds(start) / rounds;
}

struct MeshRun {
  uint64_t up = 0;  // connection-up events, both ends
  uint64_t failed = 0;
  uint64_t messages = 0;   // IKE datagrams sent by all daemons
  double convergence = 0;  // simulated seconds from the start to the last Child SA up
  double wall = 0;         // of Simulator::Run
};

MeshRun RunMesh(const std::vector<std::string>& names, const harness::ClusterCertificates& certs,
                bool modelled) {
  sim::WorldConfig config;
  config.nodeNames = names;
  sim::ClusterWorld world(config);
  std::vector<ike::IkeIdentity> identities;
  for (const auto& n : certs.nodes)
    identities.push_back({n.IkeId(), *n.Cert(), n.Key(), certs.signer.Bundle()});
  sim::IkeMeshOptions options;
  options.seed = kSeed;
  options.epochSeconds = harness::kInstallEpoch;
  sim::IkeMesh mesh = sim::InstallIkeMesh(world, identities, options);
  MeshRun run;
  ns3::Time lastUp;
  for (auto& d : mesh.daemons) {
    d->SetAttribute("ModelledCrypto", ns3::BooleanValue(modelled));
    d->TraceConnectWithoutContext(
        "ConnectionUp",
        ns3::MakeCallback(+[](uint64_t* n, ns3::Time* last, const ike::ConnectionStatus&) {
          ++*n;
          *last = ns3::Simulator::Now();
        }).Bind(&run.up, &lastUp));
    d->TraceConnectWithoutContext("ConnectionFailed",
                                  ns3::MakeCallback(+[](uint64_t* n, const ike::ConnectionStatus&) {
                                    ++*n;
                                  }).Bind(&run.failed));
  }
  const auto start = Clock::now();
  ns3::Simulator::Stop(ns3::Seconds(120));
  ns3::Simulator::Run();
  run.wall = Seconds(start);
  run.convergence = lastUp.GetSeconds() - options.startSeconds;
  for (auto& d : mesh.daemons) run.messages += d->Counters().sent;
  ns3::Simulator::Destroy();
  ns3::Names::Clear();  // the next run names its nodes again
  return run;
}

void Print(const char* mode, const MeshRun& r, uint64_t ikeSas) {
  std::printf(
      "%-8s %llu up events, %llu failed, %llu IKE messages, convergence %.3f s simulated, "
      "wall %.2f s, %.0f IKE SAs per wall second\n",
      mode, (unsigned long long)r.up, (unsigned long long)r.failed, (unsigned long long)r.messages,
      r.convergence, r.wall, ikeSas / r.wall);
}

}  // namespace

int main(int argc, char** argv) {
  const int nodes = argc > 1 ? std::atoi(argv[1]) : 30;
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 2;
  std::vector<std::string> names;
  for (int i = 0; i < nodes; ++i) names.push_back("worker-" + std::to_string(i));

  harness::ClusterCertificates certs(kSeed);
  auto start = Clock::now();
  harness::IssueClusterCertificates(names, kSeed, &certs);
  const double pkiWall = Seconds(start);
  const uint64_t ikeSas = uint64_t(nodes) * (nodes - 1);
  std::printf("%d nodes: %llu out connections (IKE SAs); certificates: %.2f s wall\n", nodes,
              (unsigned long long)ikeSas, pkiWall);

  // Real and modelled alternately, so that load from other processes weighs
  // on both alike; the best (shortest) wall time of each counts.
  const double cryptoBefore = BareCryptoPerIkeSa(certs, 30);
  MeshRun best[2];
  for (int round = 0; round < rounds; ++round) {
    MeshRun pair[2];
    for (int modelled = 0; modelled < 2; ++modelled) {
      pair[modelled] = RunMesh(names, certs, modelled == 1);
      Print(modelled ? "modelled" : "real", pair[modelled], ikeSas);
      if (round == 0 || pair[modelled].wall < best[modelled].wall) best[modelled] = pair[modelled];
    }
    std::printf("round %d: modelled / real %.1f\n", round + 1, pair[0].wall / pair[1].wall);
  }
  const double cryptoPerSa = (cryptoBefore + BareCryptoPerIkeSa(certs, 30)) / 2;

  const MeshRun& real = best[0];
  const MeshRun& modelled = best[1];
  std::printf("best of %d rounds:\n", rounds);
  Print("real", real, ikeSas);
  Print("modelled", modelled, ikeSas);
  std::printf("same messages and convergence in both modes: %s\n",
              real.messages == modelled.messages && real.up == modelled.up &&
                      real.convergence == modelled.convergence
                  ? "yes"
                  : "NO");
  std::printf("IKE SAs per wall second, modelled / real: %.1f\n", real.wall / modelled.wall);
  std::printf(
      "bare crypto of one real IKE SA: %.2f ms, bound %.0f IKE SAs per wall second; "
      "real achieved / bound: %.3f\n",
      cryptoPerSa * 1e3, 1 / cryptoPerSa, (ikeSas / real.wall) * cryptoPerSa);
  return 0;
}
