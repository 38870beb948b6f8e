/**
 * The API objects a pod refers to (ConfigMaps, Secrets, Services, PVCs, PVs), read through the client.
 * One interface so that unit tests hand in maps; `ClientObjects` reads the API server each time (the
 * kubelet asks when it starts a container or refreshes a volume, not in a hot loop).
 */
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret, Service } from '../../api/types.js';
import { isNotFound } from '../../api/errors.js';
import type { Client } from '../../client/client.js';
import { inNamespace, resources } from '../../client/resource.js';

export interface PodObjects {
  /** The ConfigMap, or undefined when it does not exist. */
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  services(namespace: string): Promise<Service[]>;
  persistentVolumeClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  persistentVolume(name: string): Promise<PersistentVolume | undefined>;
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export class ClientObjects implements PodObjects {
  constructor(private readonly client: Client) {}

  configMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return orUndefined(this.client.get<ConfigMap>(inNamespace(resources.configmaps, namespace), name));
  }

  secret(namespace: string, name: string): Promise<Secret | undefined> {
    return orUndefined(this.client.get<Secret>(inNamespace(resources.secrets, namespace), name));
  }

  async services(namespace: string): Promise<Service[]> {
    return (await this.client.list<Service>(inNamespace(resources.services, namespace))).items;
  }

  persistentVolumeClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined> {
    return orUndefined(this.client.get<PersistentVolumeClaim>(inNamespace(resources.persistentvolumeclaims, namespace), name));
  }

  persistentVolume(name: string): Promise<PersistentVolume | undefined> {
    return orUndefined(this.client.get<PersistentVolume>(resources.persistentvolumes, name));
  }
}
