/**
 * The files of configMap, secret, downwardAPI and projected volumes (upstream's payload builders): all keys,
 * or only `items` (key → path, per-item mode); `defaultMode` default 0644; a missing required object or key
 * is an error naming it; `optional` sources give nothing. The ServiceAccount token of a projected volume
 * comes from a `TokenSource`.
 */
import type { Pod, PodSpec } from '../../api/types.js';
import { podFieldValue, resourceFieldValue } from '../pods/env.js';
import type { PodObjects } from '../pods/objects.js';
import type { PayloadFile } from './atomic-writer.js';

export type Volume = NonNullable<PodSpec['volumes']>[number];
type KeyToPath = { key: string; path: string; mode?: number };

export class VolumeSetupError extends Error {}

/** Issues a token for the pod's ServiceAccount (TokenRequest), with the audience and lifetime asked. */
export type TokenSource = (pod: Pod, audience: string | undefined, expirationSeconds: number) => Promise<string>;

export interface PayloadContext {
  pod: Pod;
  objects: PodObjects;
  podIP: string;
  hostIP: string;
  token?: TokenSource;
}

function addKeys(out: Map<string, PayloadFile>, data: Map<string, Buffer>, items: KeyToPath[] | undefined, mode: number, what: string, optional: boolean): void {
  if (!items || items.length === 0) {
    for (const [k, v] of data) out.set(k, { content: v, mode });
    return;
  }
  for (const it of items) {
    const v = data.get(it.key);
    if (v === undefined) {
      if (optional) continue;
      throw new VolumeSetupError(`configmap references non-existent config key: ${it.key}`.replace('configmap', what));
    }
    out.set(it.path, { content: v, mode: it.mode ?? mode });
  }
}

async function configMapData(ctx: PayloadContext, name: string, optional: boolean): Promise<Map<string, Buffer> | undefined> {
  const cm = await ctx.objects.configMap(ctx.pod.metadata!.namespace ?? 'default', name);
  if (!cm) {
    if (optional) return undefined;
    throw new VolumeSetupError(`configmap "${name}" not found`);
  }
  const data = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm.data ?? {})) data.set(k, Buffer.from(v));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) data.set(k, Buffer.from(v, 'base64'));
  return data;
}

async function secretData(ctx: PayloadContext, name: string, optional: boolean): Promise<Map<string, Buffer> | undefined> {
  const s = await ctx.objects.secret(ctx.pod.metadata!.namespace ?? 'default', name);
  if (!s) {
    if (optional) return undefined;
    throw new VolumeSetupError(`secret "${name}" not found`);
  }
  return new Map(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

type DownwardItem = { path: string; mode?: number; fieldRef?: { fieldPath: string }; resourceFieldRef?: { containerName?: string; resource: string; divisor?: unknown } };

function downwardFiles(ctx: PayloadContext, items: DownwardItem[], mode: number, out: Map<string, PayloadFile>): void {
  for (const it of items) {
    let value: string;
    if (it.fieldRef) value = podFieldValue(ctx.pod, it.fieldRef.fieldPath, ctx.podIP, ctx.hostIP);
    else if (it.resourceFieldRef) {
      const c = (ctx.pod.spec?.containers ?? []).find((x) => x.name === it.resourceFieldRef!.containerName) ?? ctx.pod.spec!.containers[0]!;
      value = resourceFieldValue(c, it.resourceFieldRef.resource, it.resourceFieldRef.divisor as string | undefined);
    } else continue;
    out.set(it.path, { content: Buffer.from(value), mode: it.mode ?? mode });
  }
}

export async function volumePayload(ctx: PayloadContext, v: Volume): Promise<Map<string, PayloadFile>> {
  const out = new Map<string, PayloadFile>();
  if (v.configMap) {
    const data = await configMapData(ctx, v.configMap.name!, v.configMap.optional ?? false);
    if (data) addKeys(out, data, v.configMap.items, v.configMap.defaultMode ?? 0o644, 'configmap', v.configMap.optional ?? false);
  } else if (v.secret) {
    const data = await secretData(ctx, v.secret.secretName!, v.secret.optional ?? false);
    if (data) addKeys(out, data, v.secret.items, v.secret.defaultMode ?? 0o644, 'secret', v.secret.optional ?? false);
  } else if (v.downwardAPI) {
    downwardFiles(ctx, (v.downwardAPI.items ?? []) as DownwardItem[], v.downwardAPI.defaultMode ?? 0o644, out);
  } else if (v.projected) {
    const mode = v.projected.defaultMode ?? 0o644;
    for (const src of v.projected.sources ?? []) {
      if (src.configMap) {
        const data = await configMapData(ctx, src.configMap.name!, src.configMap.optional ?? false);
        if (data) addKeys(out, data, src.configMap.items, mode, 'configmap', src.configMap.optional ?? false);
      } else if (src.secret) {
        const data = await secretData(ctx, src.secret.name!, src.secret.optional ?? false);
        if (data) addKeys(out, data, src.secret.items, mode, 'secret', src.secret.optional ?? false);
      } else if (src.downwardAPI) {
        downwardFiles(ctx, (src.downwardAPI.items ?? []) as DownwardItem[], mode, out);
      } else if (src.serviceAccountToken) {
        if (!ctx.token) throw new VolumeSetupError('no token source for serviceAccountToken projection');
        const t = await ctx.token(ctx.pod, src.serviceAccountToken.audience, src.serviceAccountToken.expirationSeconds ?? 3600);
        out.set(src.serviceAccountToken.path, { content: Buffer.from(t), mode });
      } else if (src.clusterTrustBundle) {
        throw new VolumeSetupError('clusterTrustBundle projections are not supported');
      }
    }
  }
  return out;
}

