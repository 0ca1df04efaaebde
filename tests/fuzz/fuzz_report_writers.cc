// libFuzzer target for the report writers: a RunReport (with a lifecycle
// section when the first byte is odd) is filled from the input, strings of
// any bytes and numbers of any value, NaN and infinities included, and
// written as report.json, junit.xml, the terminal table and timeline.csv.
// report.json must parse as JSON again; junit.xml must be
// UTF-8 without the control characters XML 1.0 forbids.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "report.h"

using namespace ipsecsim::harness;

namespace {

std::string Text(FuzzedDataProvider& in) { return in.ConsumeRandomLengthString(48); }

double Number(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 7)) {
    case 0:
      return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return std::numeric_limits<double>::infinity();
    case 2:
      return -std::numeric_limits<double>::infinity();
    default:
      return in.ConsumeFloatingPoint<double>();
  }
}

template <typename Fill>
void Repeat(FuzzedDataProvider& in, int most, Fill fill) {
  for (int n = in.ConsumeIntegralInRange(0, most); n > 0 && in.remaining_bytes() > 0; --n) fill();
}

std::vector<TimeWindow> Windows(FuzzedDataProvider& in) {
  std::vector<TimeWindow> windows;
  Repeat(in, 3, [&] {
    windows.push_back({Number(in), Number(in), in.ConsumeIntegral<uint64_t>()});
  });
  return windows;
}

FlowResult Flow(FuzzedDataProvider& in) {
  FlowResult f;
  f.name = Text(in);
  f.from = Text(in);
  f.to = Text(in);
  f.protocol = Text(in);
  f.verdict = Text(in);
  f.sent = in.ConsumeIntegral<uint64_t>();
  f.delivered = in.ConsumeIntegral<uint64_t>();
  f.bytesSent = in.ConsumeIntegral<uint64_t>();
  f.bytesDelivered = in.ConsumeIntegral<uint64_t>();
  f.protectedPackets = in.ConsumeIntegral<uint64_t>();
  f.clearPackets = in.ConsumeIntegral<uint64_t>();
  Repeat(in, 3, [&] {
    LinkEvidence e;
    e.link = Text(in);
    Repeat(in, 3, [&] { e.packets[Text(in)] = in.ConsumeIntegral<uint64_t>(); });
    f.evidence.push_back(e);
  });
  f.wire.datagrams = in.ConsumeIntegral<uint64_t>();
  f.wire.packets = in.ConsumeIntegral<uint64_t>();
  f.wire.fragments = in.ConsumeIntegral<uint64_t>();
  f.wire.bytes = in.ConsumeIntegral<uint64_t>();
  f.wire.maxFragmentsPerPacket = in.ConsumeIntegral<uint64_t>();
  f.wire.largestPacket = in.ConsumeIntegral<uint64_t>();
  f.wire.dfDrops = in.ConsumeIntegral<uint64_t>();
  f.explanation = Text(in);
  Repeat(in, 2, [&] { f.preflight.push_back(Text(in)); });
  f.timed = in.ConsumeBool();
  f.lossWindows = Windows(in);
  f.clearWindows = Windows(in);
  return f;
}

LifecycleReport Lifecycle(FuzzedDataProvider& in) {
  LifecycleReport l;
  l.installedVersion = Text(in);
  l.finalVersion = Text(in);
  l.daemonFixes = Text(in);
  l.ipsecConfig = Text(in);
  l.nbGlobalIpsec = in.ConsumeBool();
  Repeat(in, 3, [&] { l.daemonSets.push_back(Text(in)); });
  Repeat(in, 2, [&] { l.machineConfigs.push_back(Text(in)); });
  l.procedureStart = Number(in);
  l.procedureFinished = Number(in);
  l.rolloutSeconds = Number(in);
  l.reboots = in.ConsumeIntegral<uint32_t>();
  Repeat(in, 4, [&] { l.events.push_back({Number(in), Text(in)}); });
  Repeat(in, 3, [&] {
    PairTimeline p;
    p.a = Text(in);
    p.b = Text(in);
    Repeat(in, 3, [&] { p.intervals.push_back({Number(in), Number(in), Text(in)}); });
    p.everBlackHoled = in.ConsumeBool();
    p.reportedUp = in.ConsumeBool();
    l.pairs.push_back(p);
  });
  l.probeInterval = Number(in);
  Repeat(in, 3, [&] {
    ProbePairResult p;
    p.from = Text(in);
    p.to = Text(in);
    p.sent = in.ConsumeIntegral<uint64_t>();
    p.delivered = in.ConsumeIntegral<uint64_t>();
    p.lossWindows = Windows(in);
    p.clearWindows = Windows(in);
    p.losingAtEnd = in.ConsumeBool();
    l.probes.push_back(p);
  });
  l.pairsUp = in.ConsumeIntegral<uint64_t>();
  l.blackHoledPairSeconds = Number(in);
  l.disruptionPairSeconds = Number(in);
  l.longestLossWindow = Number(in);
  return l;
}

RunReport Report(FuzzedDataProvider& in) {
  RunReport r;
  const bool lifecycle = in.ConsumeBool();
  r.scenario = Text(in);
  r.scenarioFile = Text(in);
  r.seed = in.ConsumeIntegral<uint64_t>();
  r.version = Text(in);
  r.platform = Text(in);
  r.ipsecMode = Text(in);
  r.hostMtu = in.ConsumeIntegral<int>();
  r.clusterMtu = in.ConsumeIntegral<int>();
  r.linkLoss = Number(in);
  r.simulatedSeconds = Number(in);
  r.mtuBudget.protection = Text(in);
  r.mtuBudget.headroom = in.ConsumeIntegral<int>();
  r.mtuBudget.note = Text(in);
  Repeat(in, 3, [&] { r.underlayPackets[Text(in)] = in.ConsumeIntegral<uint64_t>(); });
  Repeat(in, 2, [&] { r.underlayFilters.push_back(Text(in)); });
  Repeat(in, 2, [&] {
    PreflightFinding p;
    p.id = Text(in);
    p.from = Text(in);
    p.to = Text(in);
    p.traffic = Text(in);
    p.status = Text(in);
    p.text = Text(in);
    r.preflight.push_back(p);
  });
  Repeat(in, 4, [&] { r.flows.push_back(Flow(in)); });
  Repeat(in, 4, [&] {
    r.expectations.push_back(
        {Text(in), Text(in), Text(in), in.ConsumeBool(), in.ConsumeIntegral<int>()});
  });
  Repeat(in, 3, [&] {
    NodeCounters n;
    n.node = Text(in);
    Repeat(in, 3, [&] { n.xfrmStat[Text(in)] = in.ConsumeIntegral<uint64_t>(); });
    n.saCount = in.ConsumeIntegral<uint64_t>();
    Repeat(in, 2, [&] { n.ipsecStatus.push_back(Text(in)); });
    r.nodes.push_back(n);
  });
  if (lifecycle) r.lifecycle = Lifecycle(in);
  return r;
}

// UTF-8 with no character XML 1.0 forbids.
bool IsXmlText(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
      ++i;
      continue;
    }
    const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (length == 0 || i + length > s.size()) return false;
    for (size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += length;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const RunReport report = Report(in);
  const std::string json = FormatJsonReport(report);
  const nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) __builtin_trap();
  if (!IsXmlText(FormatJunitReport(report))) __builtin_trap();
  FormatTable(report);
  if (report.lifecycle) LifecycleTimelineCsv(*report.lifecycle);
  return 0;
}
