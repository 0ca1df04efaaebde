// The ports-table preflight. The product documentation lists what IPsec
// needs between nodes: UDP 500 (IKE), UDP 4500 (NAT-T) and ESP (IP protocol
// 50). For every ordered pair of nodes this evaluates each of the three
// against the scenario's underlay, stage by stage along the path:
//   the sender's outbound firewalls, the platform's filter (ibmcloud: no
//   ESP), the sender's NAT (ESP has no ports: dropped), the receiver's NAT
//   (only on a mapping the receiver opened), the receiver's inbound firewalls;
// and says what each block means for IPsec given the encapsulation (forced,
// or negotiated because IKE detects a NAT between the two). It uses the same
// rule tables the links get (underlay_rules.h). It only explains: verdicts
// still come from what the wire delivered.
#pragma once

#include <vector>

#include "preflight_finding.h"
#include "report.h"
#include "scenario.h"

namespace ipsecsim::harness {

// Findings in a fixed order (the platform's, with from and to "*" for every
// pair; then pairs in node order, udp/500, udp/4500, esp; then NAT mapping
// expiry); ids P1, P2, ...; flows not yet linked.
std::vector<PreflightFinding> RunPreflight(const Scenario& scenario);

// Links findings that affect IPsec and flows, both ways. A flow from node a
// to a cluster-network pod on node b != a (the traffic Geneve carries, and
// IPsec protects) bears on the findings about (a, b), and on those about
// (b, a) that its replies or IKE need: UDP 500 and 4500 always, ESP for TCP
// and ICMP, never an "expires" finding (the node behind the NAT sends first).
// Appends "see preflight P1, P2" to those flows' explanations.
void LinkPreflight(const Scenario& scenario, RunReport& report);

}  // namespace ipsecsim::harness
