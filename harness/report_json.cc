// report.json: every RunReport field in a fixed key order.
#include <nlohmann/json.hpp>

#include "build_info.h"
#include "report.h"
#include "report_files.h"

namespace ipsecsim::harness {
namespace {

using Json = nlohmann::ordered_json;

// Bumped whenever a key is renamed or removed.
constexpr int kReportVersion = 1;

// Which ipsecsim wrote the report.
Json BuildJson() {
  const BuildInfo& b = Build();
  return {{"version", b.version},
          {"git", b.git},
          {"compiler", b.compiler},
          {"build_type", b.buildType}};
}

Json CountsJson(const std::map<std::string, uint64_t>& counts) {
  Json json = Json::object();
  for (const auto& [name, count] : counts) json[name] = count;
  return json;
}

Json WireJson(const FlowResult& flow) {
  const WireAccounting& w = flow.wire;
  return {{"payload_bytes_delivered", flow.bytesDelivered},
          {"wire_bytes", w.bytes},
          {"wire_bytes_per_payload_byte", w.BytesPerPayloadByte(flow.bytesDelivered)},
          {"datagrams", w.datagrams},
          {"underlay_packets", w.packets},
          {"ip_fragments", w.fragments},
          {"max_fragments_per_packet", w.maxFragmentsPerPacket},
          {"largest_packet", w.largestPacket},
          {"df_drops", w.dfDrops},
          {"icmp_frag_needed", w.icmpFragNeeded},
          {"next_hop_mtu", w.nextHopMtu}};
}

Json BudgetJson(const MtuBudget& b) {
  return {{"protection", b.protection},
          {"geneve_bytes", b.geneveBytes},
          {"geneve_budget", b.geneveBudget},
          {"ipsec_bytes_min", b.ipsecBytesMin},
          {"ipsec_bytes_max", b.ipsecBytesMax},
          {"ipsec_budget", b.ipsecBudget},
          {"full_size_pod_packet_on_wire", b.fullSizePodPacketOnWire},
          {"largest_pod_packet_that_fits", b.largestPodPacketThatFits},
          {"headroom", b.headroom},
          {"note", b.note}};
}

Json FlowJson(const FlowResult& flow) {
  Json links = Json::array();
  for (const LinkEvidence& link : flow.evidence) {
    links.push_back({{"link", link.link}, {"packets", CountsJson(link.packets)}});
  }
  Json json = {{"name", flow.name},
               {"from", flow.from},
               {"to", flow.to},
               {"protocol", flow.protocol},
               {"verdict", flow.verdict},
               {"sent", flow.sent},
               {"delivered", flow.delivered},
               {"bytes_sent", flow.bytesSent},
               {"bytes_delivered", flow.bytesDelivered},
               {"evidence",
                {{"protected_packets", flow.protectedPackets},
                 {"clear_packets", flow.clearPackets},
                 {"links", links}}},
               {"wire", WireJson(flow)},
               {"explanation", flow.explanation},
               {"preflight", flow.preflight}};
  if (flow.timed) {
    json["loss_windows"] = WindowsJson(flow.lossWindows);
    json["clear_windows"] = WindowsJson(flow.clearWindows);
    if (!flow.mtuPhases.empty()) {
      nlohmann::ordered_json phases = nlohmann::ordered_json::array();
      for (const MtuPhase& p : flow.mtuPhases) {
        phases.push_back({{"phase", p.phase},
                          {"from", p.from},
                          {"until", p.until},
                          {"datagrams", p.datagrams},
                          {"fragments", p.fragments},
                          {"df_drops", p.dfDrops}});
      }
      json["mtu_phases"] = phases;
    }
  }
  return json;
}

Json PreflightJson(const PreflightFinding& f) {
  return {{"id", f.id},
          {"from", f.from},
          {"to", f.to},
          {"traffic", f.traffic},
          {"status", f.status},
          {"cause", f.cause},
          {"consequence", f.consequence},
          {"affects_ipsec", f.affectsIpsec},
          {"flows", f.flows},
          {"text", f.text}};
}

Json ExpectationJson(const ExpectationResult& e) {
  return {{"flow", e.flow},
          {"expected", e.expected},
          {"actual", e.actual},
          {"pass", e.pass},
          {"line", e.line}};
}

Json IkeSaJson(const IkeSaView& sa) {
  return {{"spi_i", sa.spiI},
          {"spi_r", sa.spiR},
          {"state", "ESTABLISHED"},
          {"peer_id", sa.peerId},
          {"algorithms", sa.algorithms},
          {"up_since", sa.upSinceSeconds},
          {"connections", sa.connections}};
}

Json ChildSaJson(const ChildSaView& sa) {
  return {{"connection", sa.connection},
          {"direction", sa.direction},
          {"spi", sa.spi},
          {"reqid", sa.reqid},
          {"src", sa.src},
          {"dst", sa.dst},
          {"protocol", sa.protocol},
          {"algorithm", sa.algorithm},
          {"mode", sa.mode},
          {"encapsulation", sa.encapsulation},
          {"traffic_selectors", sa.trafficSelectors},
          {"installed_at", sa.installedSeconds},
          {"soft_lifetime", sa.softLifetimeSeconds},
          {"hard_lifetime", sa.hardLifetimeSeconds},
          {"bytes", sa.bytes},
          {"packets", sa.packets}};
}

Json NodeJson(const NodeCounters& node) {
  Json ike = Json::array(), child = Json::array();
  for (const IkeSaView& sa : node.ikeSas) ike.push_back(IkeSaJson(sa));
  for (const ChildSaView& sa : node.childSas) child.push_back(ChildSaJson(sa));
  Json json = {{"node", node.node},
               {"sa_count", node.saCount},
               {"policy_count", node.policyCount},
               {"connections_up", node.connectionsUp},
               {"ipsec_status", node.ipsecStatus},
               {"ike_sas", ike},
               {"child_sas", child},
               {"xfrm_stat", CountsJson(node.xfrmStat)}};
  // Only where there is something: reports without external endpoints keep their shape.
  if (node.external) json["external"] = true;
  if (!node.plutoLog.empty()) json["pluto_log"] = node.plutoLog;
  return json;
}

}  // namespace

std::string FormatJsonReport(const RunReport& report) {
  Json flows = Json::array();
  for (const FlowResult& flow : report.flows) flows.push_back(FlowJson(flow));
  Json expectations = Json::array();
  for (const ExpectationResult& e : report.expectations) expectations.push_back(ExpectationJson(e));
  Json nodes = Json::array();
  Json preflight = Json::array();
  for (const PreflightFinding& f : report.preflight) preflight.push_back(PreflightJson(f));
  for (const NodeCounters& node : report.nodes) nodes.push_back(NodeJson(node));
  Json externalFindings = Json::array();
  for (const ExternalFinding& f : report.externalFindings)
    externalFindings.push_back({{"pool", f.pool},
                                {"level", f.level},
                                {"topic", f.topic},
                                {"text", f.text},
                                {"flows", f.flows}});

  Json json = {{"report_version", kReportVersion},
               {"ipsecsim", BuildJson()},
               {"scenario", report.scenario},
               {"scenario_file", report.scenarioFile},
               {"seed", report.seed},
               {"version", report.version},
               {"platform", report.platform},
               {"ip_family", report.ipFamily},
               {"ipsec_mode", report.ipsecMode},
               {"host_mtu", report.hostMtu},
               {"cluster_mtu", report.clusterMtu},
               {"crypto_mode", report.cryptoMode},
               {"link_loss", report.linkLoss},
               {"keying", report.keying},
               {"simulated_seconds", report.simulatedSeconds},
               {"all_expectations_pass", report.AllExpectationsPass()},
               {"passed", report.PassedExpectations()},
               {"failed", report.FailedExpectations()},
               {"tunnel_df", report.tunnelDf},
               {"mtu_budget", BudgetJson(report.mtuBudget)},
               {"install",
                {{"version", report.install.version},
                 {"ipsec_mode", report.install.ipsecMode},
                 {"mtu_budget", BudgetJson(report.install.mtuBudget)}}},
               {"underlay_packets", CountsJson(report.underlayPackets)},
               {"underlay_filters", report.underlayFilters},
               {"preflight", preflight},
               {"flows", flows},
               {"expectations", expectations},
               {"nodes", nodes}};
  if (report.lifecycle) json["lifecycle"] = LifecycleJson(*report.lifecycle);
  if (!externalFindings.empty()) json["external_findings"] = externalFindings;
  // Replace rather than throw on bytes that are not UTF-8 (names come from users).
  return json.dump(2, ' ', false, nlohmann::detail::error_handler_t::replace) + "\n";
}

void WriteJsonReport(const RunReport& report, const std::string& path) {
  WriteReportFile(path, FormatJsonReport(report));
}

}  // namespace ipsecsim::harness
