// RunReport queries and the evidence text shared by the reporters.
#include "report.h"

#include <algorithm>
#include <sstream>

namespace ipsecsim::harness {

bool RunReport::AllExpectationsPass() const { return FailedExpectations() == 0; }

int RunReport::PassedExpectations() const {
  return static_cast<int>(std::count_if(expectations.begin(), expectations.end(),
                                        [](const ExpectationResult& e) { return e.pass; }));
}

int RunReport::FailedExpectations() const {
  return static_cast<int>(expectations.size()) - PassedExpectations();
}

const FlowResult* RunReport::FindFlow(const std::string& name) const {
  auto it = std::find_if(flows.begin(), flows.end(),
                         [&](const FlowResult& flow) { return flow.name == name; });
  return it == flows.end() ? nullptr : &*it;
}

std::string DescribeEvidence(const FlowResult& flow) {
  std::ostringstream out;
  out << flow.name << ": " << flow.from << " -> " << flow.to << " (" << flow.protocol
      << "), verdict " << flow.verdict << "\n";
  out << "sent " << flow.sent << ", delivered " << flow.delivered << " (" << flow.bytesSent << " / "
      << flow.bytesDelivered << " bytes)\n";
  out << "underlay packets: " << flow.protectedPackets << " protected, " << flow.clearPackets
      << " with the flow marker in clear\n";
  for (const LinkEvidence& link : flow.evidence) {
    out << "  " << link.link << ":";
    for (const auto& [kind, count] : link.packets) out << " " << kind << "=" << count;
    out << "\n";
  }
  if (!flow.explanation.empty()) out << "why: " << flow.explanation << "\n";
  return out.str();
}

}  // namespace ipsecsim::harness
