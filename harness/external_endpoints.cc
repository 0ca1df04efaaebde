#include "external_endpoints.h"

#include <set>

#include "linux_ip_output.h"
#include "mtu_arithmetic.h"
#include "xfrm_helper.h"

namespace ipsecsim::harness {

using namespace ns3;

namespace {

// pluto started on `node` with what it loaded, its keys in the run's log.
Ptr<ike::IkeDaemon> StartPluto(Ptr<Node> node, const external::PlutoLoad& load, uint64_t seed,
                               int64_t epochSeconds, sim::KeyLog& keys) {
  const std::vector<ike::ConnectionConfig>& connections = load.connections;
  Ptr<ike::IkeDaemon> daemon = CreateObject<ike::IkeDaemon>();
  daemon->SetAttribute("EpochSeconds", IntegerValue(epochSeconds));
  daemon->SetAttribute("Seed", UintegerValue(seed));
  daemon->SetAttribute("UniqueIds", BooleanValue(load.uniqueIds));
  keys.Watch(daemon);
  ike::IkeIdentity identity;
  if (!connections.empty() && connections.front().identity)
    identity = *connections.front().identity;
  daemon->Start(node, identity);
  for (const ike::ConnectionConfig& c : connections) daemon->AddConnection(c);
  return daemon;
}

Ptr<xfrm::XfrmStack> InstallKernel(Ptr<Node> node, uint64_t seed, sim::KeyLog& keys) {
  Ptr<xfrm::XfrmStack> stack = xfrm::XfrmHelper().Install(node);
  stack->SetAttribute("SeqivSeed", UintegerValue(seed));
  keys.EspSas().Watch(stack);
  return stack;
}

// TCP's MSS follows the xfrm bundle's MTU where a policy protects the
// traffic (xfrm_mtu, net/xfrm/xfrm_state.c; sim/mtu_arithmetic.h). Only a
// policy that selects TCP between the two hosts counts: OVN's select UDP
// 6081 and never change a socket's MTU.
void FollowBundleMtu(Ptr<Node> node, Ptr<xfrm::XfrmStack> stack, Ipv4Address source) {
  Ptr<sim::LinuxIpv4Output> output = node->GetObject<sim::LinuxIpv4Output>();
  if (!output) return;
  xfrm::XfrmStack* kernel = PeekPointer(stack);  // the node owns both
  output->SetBundleMtu([kernel, source](Ipv4Address destination, uint32_t mtu) {
    xfrm::FlowTuple flow;
    flow.src = source;
    flow.dst = destination;
    flow.protocol = 6;
    const auto decision = kernel->DecideOutbound(flow);
    using Kind = xfrm::XfrmStack::OutboundDecision::Kind;
    if (decision.kind == Kind::kClear || decision.kind == Kind::kDiscard) return mtu;
    const bool known = decision.kind == Kind::kProtected;
    const bool encap = known && decision.state->config.encap;
    const xfrm::PolicyEntry* policy = kernel->Policies().Lookup(xfrm::Direction::kOut, flow);
    const bool tunnel = policy && policy->policy.tmpl.mode == xfrm::XfrmMode::kTunnel;
    return sim::mtu::XfrmStateMtu(
        mtu, encap ? sim::mtu::Protection::kEspInUdp : sim::mtu::Protection::kEsp,
        tunnel ? sim::mtu::EspMode::kTunnel : sim::mtu::EspMode::kTransport);
  });
}

}  // namespace

void AddExternalHosts(const ExternalSetup& setup, sim::ClusterWorld& world) {
  for (const ExternalSetup::Host& host : setup.hosts)
    world.AddExternalHost(host.name, Ipv4Address(host.address.V4Value()));
}

void StartExternalPlutos(ExternalRun& run, sim::ClusterWorld& world, sim::KeyLog& keys,
                         uint64_t seed, int64_t epochSeconds, bool meshInstalled) {
  for (uint32_t i = 0; i < run.setup->hosts.size(); ++i) {
    // Streams of their own, apart from the nodes' (seed * 1000003 + node).
    const uint64_t hostSeed = seed * 2654435761u + 0x45585400u + i;
    Ptr<Node> node = world.External(i).Node();
    run.hostStacks.push_back(InstallKernel(node, hostSeed, keys));
    FollowBundleMtu(node, run.hostStacks.back(), world.External(i).Ip());
    run.hostDaemons.push_back(
        StartPluto(node, run.setup->hosts[i].load, hostSeed, epochSeconds, keys));
  }
  if (meshInstalled) return;
  for (uint32_t n = 0; n < world.NodeCount(); ++n) {
    auto it = run.setup->nodes.find(world.NodeName(n));
    if (it == run.setup->nodes.end() || !it->second.pool->ipsecServiceEnabled ||
        !it->second.pool->confError.empty())
      continue;
    const uint64_t nodeSeed = seed * 1000003u + n;
    run.nodeStacks[n] = InstallKernel(world.Host(n), nodeSeed, keys);
    FollowBundleMtu(world.Host(n), run.nodeStacks[n], world.NodeIp(n));
    run.nodeDaemons[n] = StartPluto(world.Host(n), it->second.alone, nodeSeed, epochSeconds, keys);
  }
}

void AddHostConnections(const ExternalSetup& setup, const sim::ClusterWorld& world,
                        std::vector<std::shared_ptr<sim::NodeIpsec>>& nodes) {
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    auto it = setup.nodes.find(world.NodeName(n));
    if (it == setup.nodes.end()) continue;
    nodes[n]->SetPlutoRefused(!it->second.pool->confError.empty());
    nodes[n]->SetHostConnections(it->second.withOvn.connections);
    nodes[n]->SetOvnConnectionDefaults(it->second.withOvn.ovnDefaults);
    FollowBundleMtu(world.Host(n), nodes[n]->Stack(), world.NodeIp(n));
  }
}

void FollowHostBundleMtu(const ExternalSetup& setup, const sim::ClusterWorld& world,
                         const std::vector<Ptr<xfrm::XfrmStack>>& stacks) {
  for (uint32_t n = 0; n < stacks.size(); ++n)
    if (setup.nodes.count(world.NodeName(n)))
      FollowBundleMtu(world.Host(n), stacks[n], world.NodeIp(n));
}

std::vector<ExternalFinding> ExternalFindingsOf(const Scenario& sc, const ExternalSetup& setup) {
  // A node's pool is its name up to the last '-' (Scenario::NodeNames).
  auto poolOf = [](const std::string& node) { return node.substr(0, node.rfind('-')); };
  const std::vector<std::string> names = sc.NodeNames();
  const std::set<std::string> nodes(names.begin(), names.end());  // once, not per flow
  auto nodeOf = [&sc, &nodes](const std::string& endpoint) -> std::string {
    if (nodes.count(endpoint)) return endpoint;
    const PodSpec* pod = sc.FindPod(endpoint);
    return pod ? pod->node : "";
  };
  std::vector<ExternalFinding> out;
  for (const ExternalSetup::PoolFinding& pf : setup.findings) {
    ExternalFinding f;
    f.pool = pf.role;
    f.level = check::LevelName(pf.finding.level);
    f.topic = pf.finding.topic;
    f.text = pf.finding.Format();
    const bool explains =
        pf.finding.level == check::Level::kError || pf.finding.level == check::Level::kMalformed;
    // A file pluto cannot load stops pluto itself, and a conn %default
    // reaches OVN's pod-to-pod conns: every flow of the pool's nodes may be
    // touched, not only those to the external hosts.
    const bool stopsPluto =
        pf.finding.level == check::Level::kMalformed && pf.finding.topic == "syntax";
    const bool reachesOvn =
        pf.finding.topic == "interference" && pf.finding.message.rfind("conn %default:", 0) == 0;
    for (const FlowSpec& flow : sc.flows) {
      if (!explains) break;
      const bool out = sc.HasExternalHost(flow.to), in = sc.HasExternalHost(flow.from);
      const std::string from = nodeOf(flow.from), to = nodeOf(flow.to);
      const bool ours =
          (!from.empty() && poolOf(from) == pf.role) || (!to.empty() && poolOf(to) == pf.role);
      if (ours && (out || in || stopsPluto || reachesOvn)) f.flows.push_back(flow.name);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace ipsecsim::harness
