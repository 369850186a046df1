/**
 * kgateway's backend sizing for its attached-routes load test (VClusterSimulator.
 * GenerateSimulationConfig in test/kubernetes/e2e/features/loadtesting): a number of simulated nodes
 * and services per node derived from the route count, with integer division throughout:
 *
 *   routes ≤ 1000: nodes = max(2, routes / 200), servicesPerNode = max(20, routes / (nodes·3))
 *   routes > 1000: nodes = max(3, routes / 100), servicesPerNode = max(15, routes / (nodes·2))
 *   services = nodes · servicesPerNode
 *
 * 1,000 routes → 5 × 66 = 330 services; 5,000 routes → 50 × 50 = 2,500.
 */
export interface BackendSizing {
  routes: number;
  nodes: number;
  servicesPerNode: number;
  services: number;
}

export function kgatewaySizing(routes: number): BackendSizing {
  const r = Math.max(0, Math.floor(routes));
  const div = (a: number, b: number) => Math.floor(a / b);
  let nodes: number;
  let servicesPerNode: number;
  if (r <= 1000) {
    nodes = Math.max(2, div(r, 200));
    servicesPerNode = Math.max(20, div(r, nodes * 3));
  } else {
    nodes = Math.max(3, div(r, 100));
    servicesPerNode = Math.max(15, div(r, nodes * 2));
  }
  return { routes: r, nodes, servicesPerNode, services: nodes * servicesPerNode };
}

/** kgateway's endpoint address for a service's replica: 10.244.<subnet>.<host>, 254 hosts a subnet. */
export function endpointAddress(serviceIndex: number, replica: number, perService: number): string {
  const id = serviceIndex * perService + replica;
  return `10.244.${Math.floor(id / 254) % 255}.${(id % 254) + 1}`;
}
