// ns-3's TCP does no path MTU discovery. This gives a TCP socket the part of
// it that matters here: on ICMP "fragmentation needed" (type 3 code 4) for
// its connection, the segment size drops to what the announced next-hop MTU
// (at least ip_rt_min_pmtu) leaves after the IPv4 and TCP headers and the
// timestamp option, as Linux's tcp_v4_mtu_reduced does; the dropped
// segment is then resent at the new size when its retransmission comes.
#pragma once

#include <ns3/socket.h>

namespace ipsecsim::sim {

void FollowPathMtu(ns3::Ptr<ns3::Socket> tcpSocket);

}  // namespace ipsecsim::sim
