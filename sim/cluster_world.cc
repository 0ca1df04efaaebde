#include "cluster_world.h"

#include <ns3/error-model.h>

#include "nic_pcap.h"

namespace ipsecsim::sim {

using namespace ns3;

ClusterWorld::ClusterWorld(const WorldConfig& config) : config_(config), plan_(config.network) {
  const uint32_t n = uint32_t(config.nodeNames.size());
  hosts_.Create(n);
  switch_ = CreateObject<Node>();
  // One link per node; a frame between two nodes crosses two links, so each
  // gets half of the one-way underlay delay.
  csma_.SetChannelAttribute("DataRate", StringValue(config.linkRate));
  csma_.SetChannelAttribute("Delay", TimeValue(Seconds(config.linkDelaySeconds / 2)));
  csma_.SetDeviceAttribute("Mtu", UintegerValue(uint32_t(config.hostMtu)));
  for (uint32_t i = 0; i < n; ++i) {
    NetDeviceContainer link = csma_.Install(NodeContainer(hosts_.Get(i), switch_));
    nics_.Add(link.Get(0));
    switchPorts_.Add(link.Get(1));
  }
  underlaySwitch_ = std::make_unique<UnderlaySwitch>(switch_);
  for (uint32_t i = 0; i < n; ++i) {
    underlaySwitch_->AddPort(switchPorts_.Get(i));
    underlaySwitch_->Attach(Mac48Address::ConvertFrom(nics_.Get(i)->GetAddress()),
                            switchPorts_.Get(i));
  }
  if (config.linkLoss > 0) {
    for (uint32_t i = 0; i < n; ++i) {
      Ptr<RateErrorModel> loss = CreateObject<RateErrorModel>();
      loss->SetAttribute("ErrorRate", DoubleValue(config.linkLoss));
      loss->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
      loss->AssignStreams(int64_t(i));
      switchPorts_.Get(i)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
      losses_.push_back(loss);
    }
  }
  InternetStackHelper internet;
  internet.Install(hosts_);
  for (uint32_t i = 0; i < n; ++i) {
    Names::Add(config.nodeNames[i], hosts_.Get(i));
    ovn_.push_back(std::make_unique<OvnNode>(i, plan_, *this, hosts_.Get(i), nics_.Get(i)));
    ovn_.back()->SetChecksums(config.checksums);
    ovn_.back()->Setup(config.hostMtu, config.clusterMtu, config.tunnelDf, config.family);
    ovn_.back()->SetTunnelPmtud(config.ovnTunnelPmtud);
    ovn_.back()->SetGatewayMode(config.gatewayMode);
  }
}

int64_t ClusterWorld::AssignStreams(int64_t stream) {
  int64_t next = stream;
  for (const Ptr<RateErrorModel>& loss : losses_) next += loss->AssignStreams(next);
  for (auto node = NodeList::Begin(); node != NodeList::End(); ++node) {
    next += InternetStackHelper().AssignStreams(NodeContainer(*node), next);
    for (uint32_t d = 0; d < (*node)->GetNDevices(); ++d) {
      if (auto csma = DynamicCast<CsmaNetDevice>((*node)->GetDevice(d)))
        next += csma->AssignStreams(next);
    }
  }
  return next - stream;
}

uint32_t ClusterWorld::AddExternalHost(const std::string& name, Ipv4Address address) {
  Ptr<Node> host = CreateObject<Node>();
  NetDeviceContainer link = csma_.Install(NodeContainer(host, switch_));
  underlaySwitch_->AddPort(link.Get(1));
  underlaySwitch_->Attach(Mac48Address::ConvertFrom(link.Get(0)->GetAddress()), link.Get(1));
  if (config_.linkLoss > 0) {
    Ptr<RateErrorModel> loss = CreateObject<RateErrorModel>();
    loss->SetAttribute("ErrorRate", DoubleValue(config_.linkLoss));
    loss->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
    link.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
    losses_.push_back(loss);
  }
  InternetStackHelper().Install(host);
  Names::Add(name, host);
  externals_.push_back(
      std::make_unique<ExternalHost>(name, address, host, link.Get(0), link.Get(1)));
  externals_.back()->Setup(*this, config_.hostMtu, plan_.machineNetwork, plan_.machineMask,
                           config_.checksums);
  for (auto& ovn : ovn_) ovn->AddUnderlayHostRoute(address);
  return uint32_t(externals_.size() - 1);
}

bool ClusterWorld::UnderlayMac(Ipv4Address ip, Mac48Address* mac) const {
  for (const auto& external : externals_) {
    if (external->Ip() != ip) continue;
    *mac = Mac48Address::ConvertFrom(external->Nic()->GetAddress());
    return true;
  }
  for (const auto& [node, front] : reachVia_) {
    if (front.address != ip) continue;
    *mac = front.mac;
    return true;
  }
  const uint32_t first = plan_.NodeIp(0).Get();
  if (ip.Get() < first || ip.Get() >= first + NodeCount()) return false;
  *mac = Mac48Address::ConvertFrom(nics_.Get(ip.Get() - first)->GetAddress());
  return true;
}

bool ClusterWorld::UnderlayMac(Ipv6Address ip, Mac48Address* mac) const {
  uint32_t node = 0;
  if (!plan_.NodeOfIp6(ip, NodeCount(), &node)) return false;
  *mac = Mac48Address::ConvertFrom(nics_.Get(node)->GetAddress());
  return true;
}

Address ClusterWorld::UnderlayIp(uint32_t i) const {
  if (config_.family == UnderlayFamily::kIpv6) return plan_.NodeIp6(i);
  return plan_.NodeIp(i);
}

void ClusterWorld::ReachVia(uint32_t i, Ipv4Address publicAddress, Mac48Address mac) {
  reachVia_[i] = NatFront{publicAddress, mac};
  underlaySwitch_->Attach(mac, switchPorts_.Get(i));
}

Ipv4Address ClusterWorld::ReachableAddress(uint32_t i) const {
  auto it = reachVia_.find(i);
  return it == reachVia_.end() ? plan_.NodeIp(i) : it->second.address;
}

Address ClusterWorld::ReachableUnderlayIp(uint32_t i) const {
  if (config_.family == UnderlayFamily::kIpv6) return ReachableAddress6(i);
  return ReachableAddress(i);
}

Endpoint ClusterWorld::HostEndpoint(uint32_t nodeIndex) const {
  return Endpoint{hosts_.Get(nodeIndex), plan_.NodeIp(nodeIndex), nodeIndex, true};
}

Endpoint ClusterWorld::AddClusterPod(uint32_t nodeIndex) {
  Ptr<Node> pod = CreateObject<Node>();
  InternetStackHelper internet;
  internet.Install(pod);
  const Ipv4Address ip = ovn_.at(nodeIndex)->AttachPod(pod, config_.clusterMtu);
  return Endpoint{pod, ip, nodeIndex, false};
}

void ClusterWorld::EnablePcap(const std::string& dir) const {
  for (uint32_t i = 0; i < NodeCount(); ++i) {
    CaptureWithoutFcs(DynamicCast<CsmaNetDevice>(nics_.Get(i)),
                      dir + "/" + config_.nodeNames[i] + "-eth0.pcap");
  }
  for (const auto& external : externals_)
    CaptureWithoutFcs(DynamicCast<CsmaNetDevice>(external->Nic()),
                      dir + "/" + external->Name() + "-eth0.pcap");
}

}  // namespace ipsecsim::sim
