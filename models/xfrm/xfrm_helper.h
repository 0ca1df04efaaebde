// ns-3 style helper: aggregates an XfrmStack to each node and hooks it into
// the node's IPv4 stack (install the internet stack first).
#pragma once

#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "xfrm_stack.h"

namespace ipsecsim::xfrm {

class XfrmHelper {
 public:
  XfrmHelper();
  // Sets an XfrmStack attribute for the stacks installed afterwards,
  // e.g. SetStackAttribute("HoldUntilSa", BooleanValue(true)).
  void SetStackAttribute(const std::string& name, const ns3::AttributeValue& value);
  // Returns the stack of each node, in the container's order.
  std::vector<ns3::Ptr<XfrmStack>> Install(const ns3::NodeContainer& nodes) const;
  ns3::Ptr<XfrmStack> Install(ns3::Ptr<ns3::Node> node) const;

 private:
  ns3::ObjectFactory m_factory;
};

}  // namespace ipsecsim::xfrm
