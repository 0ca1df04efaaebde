#include "xfrm_helper.h"

namespace ipsecsim::xfrm {

XfrmHelper::XfrmHelper() { m_factory.SetTypeId(XfrmStack::GetTypeId()); }

void XfrmHelper::SetStackAttribute(const std::string& name, const ns3::AttributeValue& value) {
  m_factory.Set(name, value);
}

ns3::Ptr<XfrmStack> XfrmHelper::Install(ns3::Ptr<ns3::Node> node) const {
  NS_ABORT_MSG_IF(node->GetObject<XfrmStack>(), "ipsecsim xfrm: node already has an XfrmStack");
  ns3::Ptr<XfrmStack> stack = m_factory.Create<XfrmStack>();
  node->AggregateObject(stack);
  stack->Attach(node);
  return stack;
}

std::vector<ns3::Ptr<XfrmStack>> XfrmHelper::Install(const ns3::NodeContainer& nodes) const {
  std::vector<ns3::Ptr<XfrmStack>> stacks;
  for (auto it = nodes.Begin(); it != nodes.End(); ++it) stacks.push_back(Install(*it));
  return stacks;
}

}  // namespace ipsecsim::xfrm
