/**
 * Node registration, as upstream's kubelet `registerWithAPIServer`: create the Node with its status;
 * if it exists already (an agent restart), take the existing one, so its uid, labels and taints as the
 * cluster has them now are kept. The labels and taints given at registration apply only to a new Node,
 * as upstream's `--node-labels` / `--register-with-taints` do.
 */
import { isAlreadyExists } from '../../api/errors.js';
import type { Node } from '../../api/types.js';
import type { Client } from '../../client/client.js';
import { resources } from '../../client/resource.js';
import type { NodeHealth } from './conditions.js';
import { newNode, type NodeDescription } from './node-object.js';

/** Registers the node; resolves to the Node as the server has it, and whether it was created now. */
export async function registerNode(client: Client, d: NodeDescription, health: NodeHealth, now: string): Promise<{ node: Node; created: boolean }> {
  try {
    return { node: await client.create<Node>(resources.nodes, newNode(d, health, now)), created: true };
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  return { node: await client.get<Node>(resources.nodes, d.name), created: false };
}
