// Benchmark: a cluster of N nodes enabling IPsec Full at once, every node's
// IKE daemon starting its N-1 "out" connections together (N x (N-1) IKE SAs
// with real MODP-2048 and RSA-2048). Reports the simulated convergence time,
// the wall time, IKE SAs established per wall second, and, measured in the
// same run, what the bare crypto of one IKE SA costs (4 D-H
// exponentiations, 2 RSA signatures, 4 RSA verifications: 2 AUTH and 2
// certificate signatures), so the ratio says how close the exchange is to
// its crypto bound.
#include <ns3/core-module.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "auth_octets.h"
#include "cluster_certificates.h"
#include "cluster_world.h"
#include "deterministic_rng.h"
#include "dh_modp2048.h"
#include "ike_daemon.h"
#include "ipsec_ike_mesh.h"

using namespace ipsecsim;
using Clock = std::chrono::steady_clock;

namespace {

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

}  // namespace

int main(int argc, char** argv) {
  const int nodes = argc > 1 ? std::atoi(argv[1]) : 100;
  const uint64_t seed = 11;
  std::vector<std::string> names;
  for (int i = 0; i < nodes; ++i) names.push_back("worker-" + std::to_string(i));

  harness::ClusterCertificates certs(seed);
  auto start = Clock::now();
  harness::IssueClusterCertificates(names, seed, &certs);
  const double pkiWall = Seconds(start);

  sim::WorldConfig config;
  config.nodeNames = names;
  sim::ClusterWorld world(config);
  std::vector<ike::IkeIdentity> identities;
  for (const auto& n : certs.nodes) {
    identities.push_back({n.IkeId(), *n.Cert(), n.Key(), certs.signer.Bundle()});
  }
  sim::IkeMeshOptions options;
  options.seed = seed;
  options.epochSeconds = harness::kInstallEpoch;
  sim::IkeMesh mesh = sim::InstallIkeMesh(world, identities, options);
  uint64_t up = 0, failed = 0;
  ns3::Time lastUp;
  for (auto& d : mesh.daemons) {
    d->TraceConnectWithoutContext(
        "ConnectionUp",
        ns3::MakeCallback(+[](uint64_t* n, ns3::Time* last, const ike::ConnectionStatus&) {
          ++*n;
          *last = ns3::Simulator::Now();
        }).Bind(&up, &lastUp));
    d->TraceConnectWithoutContext(
        "ConnectionFailed",
        ns3::MakeCallback(+[](uint64_t* n, const ike::ConnectionStatus&) { ++*n; }).Bind(&failed));
  }
  // Crypto cost measured before and after the simulation, averaged, so that
  // load from other processes during the run weighs on both sides alike.
  const double cryptoBefore = BareCryptoPerIkeSa(certs, 30);
  start = Clock::now();
  ns3::Simulator::Stop(ns3::Seconds(120));
  ns3::Simulator::Run();
  const double simWall = Seconds(start);
  const uint64_t ikeSas = uint64_t(nodes) * (nodes - 1);

  const double cryptoPerSa = (cryptoBefore + BareCryptoPerIkeSa(certs, 30)) / 2;
  std::printf(
      "%d nodes: %llu out connections (IKE SAs), %llu connection-up events on both ends, "
      "%llu failed\n",
      nodes, (unsigned long long)ikeSas, (unsigned long long)up, (unsigned long long)failed);
  std::printf("certificates (CA + %d RSA-2048 node keys): %.2f s wall\n", nodes, pkiWall);
  std::printf("simulated convergence (enable at 0.1 s, last Child SA up): %.3f s\n",
              lastUp.GetSeconds() - options.startSeconds);
  std::printf("wall time of the simulation: %.2f s, %.0f IKE SAs per wall second\n", simWall,
              ikeSas / simWall);
  std::printf("bare crypto of one IKE SA, same run: %.2f ms, bound %.0f IKE SAs per wall second\n",
              cryptoPerSa * 1e3, 1 / cryptoPerSa);
  std::printf("ratio (achieved / crypto bound): %.3f\n", (ikeSas / simWall) * cryptoPerSa);
  ns3::Simulator::Destroy();
  return 0;
}
