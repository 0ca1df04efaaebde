#include "nic_pcap.h"

#include <ns3/ethernet-trailer.h>
#include <ns3/simulator.h>
#include <ns3/trace-helper.h>

namespace ipsecsim::sim {

namespace {

void WriteWithoutFcs(ns3::Ptr<ns3::PcapFileWrapper> file, ns3::Ptr<const ns3::Packet> frame) {
  ns3::Ptr<ns3::Packet> copy = frame->Copy();
  ns3::EthernetTrailer fcs;
  copy->RemoveTrailer(fcs);
  file->Write(ns3::Simulator::Now(), copy);
}

}  // namespace

void CaptureWithoutFcs(ns3::Ptr<ns3::CsmaNetDevice> nic, const std::string& path) {
  ns3::Ptr<ns3::PcapFileWrapper> file =
      ns3::PcapHelper().CreateFile(path, std::ios::out, ns3::PcapHelper::DLT_EN10MB);
  // "Sniffer", not "PromiscSniffer": the frames the host's stack sees, as a
  // capture without promiscuous mode.
  nic->TraceConnectWithoutContext("Sniffer", ns3::MakeBoundCallback(&WriteWithoutFcs, file));
}

}  // namespace ipsecsim::sim
