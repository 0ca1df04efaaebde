// The terminal's SAS section (ipsecsim run --sas), like `swanctl --list-sas`.
#include <sstream>

#include "report.h"
#include "report_text.h"

namespace ipsecsim::harness {

std::string FormatSas(const RunReport& report, double nowSeconds) {
  std::ostringstream out;
  out << "SAS at " << Seconds(nowSeconds) << " (per node: IKE SAs, then Child SAs)\n";
  for (const NodeCounters& node : report.nodes) {
    out << node.node << ": " << node.ikeSas.size() << " IKE SAs, " << node.childSas.size()
        << " Child SAs\n";
    for (const IkeSaView& sa : node.ikeSas) {
      out << "  IKE " << sa.spiI << "_i " << sa.spiR << "_r ESTABLISHED " << sa.algorithms
          << ", peer '" << sa.peerId << "', up since " << Seconds(sa.upSinceSeconds) << "\n";
      out << "    connections:";
      for (const std::string& c : sa.connections) out << " " << c;
      out << "\n";
    }
    for (const ChildSaView& sa : node.childSas) {
      out << "  CHILD " << (sa.connection.empty() ? "(retiring)" : sa.connection) << " "
          << sa.direction << " " << sa.spi << " reqid " << sa.reqid << " " << sa.protocol << ":"
          << sa.algorithm << " " << sa.mode
          << (sa.encapsulation.empty() ? "" : " encap " + sa.encapsulation) << " " << sa.src
          << " -> " << sa.dst << ", " << sa.bytes << " bytes, " << sa.packets
          << " packets, installed " << Seconds(sa.installedSeconds);
      if (sa.hardLifetimeSeconds > 0)
        out << ", rekey after " << Seconds(sa.softLifetimeSeconds) << ", expires after "
            << Seconds(sa.hardLifetimeSeconds);
      out << "\n";
      for (const std::string& ts : sa.trafficSelectors) out << "    ts " << ts << "\n";
    }
  }
  return out.str();
}

}  // namespace ipsecsim::harness
