/**
 * A small etcd v3 client over @grpc/grpc-js: just the calls the store needs (KV, Watch,
 * Maintenance.Status), described by our own subset of etcd's protos in `proto/`.
 *
 * Every unary call carries a deadline, and the channel does not wait for a connection, so an
 * unreachable etcd fails fast with a StoreError 'Unavailable' instead of hanging.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { StoreError } from '../store.js';

// ---- the messages we use (proto-loader with keepCase, longs as numbers, bytes as Buffer) ----

export interface KeyValueMsg {
  key: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
  value: Buffer;
}
export interface ResponseHeader { revision: number }
export interface RangeRequest {
  key: Buffer; range_end?: Buffer; limit?: number; revision?: number;
  keys_only?: boolean; count_only?: boolean;
}
export interface RangeResponse { header: ResponseHeader; kvs: KeyValueMsg[]; more: boolean; count: number }
export interface PutRequest { key: Buffer; value: Uint8Array; prev_kv?: boolean }
export interface PutResponse { header: ResponseHeader; prev_kv: KeyValueMsg | null }
export interface DeleteRangeRequest { key: Buffer; range_end?: Buffer; prev_kv?: boolean }
export interface DeleteRangeResponse { header: ResponseHeader; deleted: number; prev_kvs: KeyValueMsg[] }
export interface RequestOp { request_range?: RangeRequest; request_put?: PutRequest; request_delete_range?: DeleteRangeRequest }
export interface ResponseOp { response_range?: RangeResponse; response_put?: PutResponse; response_delete_range?: DeleteRangeResponse }
export const CompareResult = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;
export const CompareTarget = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 } as const;
export interface Compare {
  result: number; target: number; key: Buffer; create_revision?: number; mod_revision?: number;
}
export interface TxnRequest { compare: Compare[]; success: RequestOp[]; failure: RequestOp[] }
export interface TxnResponse { header: ResponseHeader; succeeded: boolean; responses: ResponseOp[] }
export interface EventMsg { type: number; kv: KeyValueMsg; prev_kv: KeyValueMsg | null }
export interface WatchCreateRequest {
  key: Buffer; range_end?: Buffer; start_revision?: number; prev_kv?: boolean; watch_id?: number;
}
export interface WatchRequest { create_request?: WatchCreateRequest; cancel_request?: { watch_id: number } }
export interface WatchResponse {
  header: ResponseHeader; watch_id: number; created: boolean; canceled: boolean; compact_revision: number;
  cancel_reason: string; events: EventMsg[];
}
export interface StatusResponse { header: ResponseHeader; version: string }

/** The folder with our .proto files: beside this module, or in the source tree when run from dist/. */
function protoDir(): string {
  const candidates = [new URL('./proto/', import.meta.url), new URL('../../../../src/storage/etcd/proto/', import.meta.url)];
  for (const c of candidates) {
    const dir = fileURLToPath(c);
    if (existsSync(`${dir}rpc.proto`)) return dir;
  }
  throw new Error(`etcd protos not found (looked in ${candidates.map((c) => fileURLToPath(c)).join(', ')})`);
}

type ServiceCtor = new (target: string, creds: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => grpc.Client;
let services: { KV: ServiceCtor; Watch: ServiceCtor; Maintenance: ServiceCtor } | undefined;

function loadServices() {
  if (services) return services;
  const def = protoLoader.loadSync('rpc.proto', {
    includeDirs: [protoDir()], keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { etcdserverpb: Record<string, ServiceCtor> };
  const p = pkg.etcdserverpb;
  services = { KV: p.KV!, Watch: p.Watch!, Maintenance: p.Maintenance! };
  return services;
}

/**
 * The gRPC target for a list of etcd client URLs. IP endpoints become one `ipv4:`/`ipv6:` target that
 * fails over between them; a host name uses the first endpoint's DNS name.
 */
export function grpcTarget(endpoints: URL[]): string {
  const v4 = endpoints.every((u) => /^\d+\.\d+\.\d+\.\d+$/.test(u.hostname));
  if (v4) return `ipv4:${endpoints.map((u) => `${u.hostname}:${u.port || 2379}`).join(',')}`;
  const v6 = endpoints.every((u) => u.hostname.startsWith('['));
  if (v6) return `ipv6:${endpoints.map((u) => `${u.hostname}:${u.port || 2379}`).join(',')}`;
  return `dns:${endpoints[0]!.hostname}:${endpoints[0]!.port || 2379}`;
}

/** Parses `http://a:2379,http://b:2379`. Throws 'Unavailable' for anything else. */
export function parseEndpoints(endpoint: string): URL[] {
  const urls = endpoint.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      throw new StoreError('Unavailable', `etcd endpoint "${s}" is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new StoreError('Unavailable', `etcd endpoint "${s}": scheme must be http or https`);
    }
    return u;
  });
  if (urls.length === 0) throw new StoreError('Unavailable', 'no etcd endpoint given');
  if (new Set(urls.map((u) => u.protocol)).size > 1) {
    throw new StoreError('Unavailable', `etcd endpoints "${endpoint}" mix http and https`);
  }
  return urls;
}

/** Maps a gRPC failure to the store's vocabulary, naming the endpoint. */
export function etcdError(endpoint: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const e = err as grpc.ServiceError;
  const details = (e.details || e.message || String(err)).replace(/\.?\s*Resolution note:\s*$/, '');
  if (/compacted/.test(details)) return new StoreError('Compacted', `etcd ${endpoint}: ${details}`);
  if (/request is too large/.test(details)) {
    return new StoreError('ValueTooLarge',
      `etcd ${endpoint}: ${details} (start etcd with --max-request-bytes of at least 2097152)`);
  }
  if (e.code === grpc.status.UNAVAILABLE) return new StoreError('Unavailable', `etcd ${endpoint}: unreachable (${details})`);
  if (e.code === grpc.status.DEADLINE_EXCEEDED) return new StoreError('Unavailable', `etcd ${endpoint}: no answer in time (${details})`);
  return new StoreError('Unavailable', `etcd ${endpoint}: ${details}`);
}

export interface EtcdClientOptions {
  /** Deadline of each call (ms). */
  timeoutMs?: number;
}

type Unary = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

export class EtcdClient {
  readonly endpoint: string;
  private readonly kv: grpc.Client;
  private readonly watchClient: grpc.Client;
  private readonly maintenance: grpc.Client;
  private readonly timeoutMs: number;
  private readonly meta = new grpc.Metadata();

  constructor(endpoint: string, options: EtcdClientOptions = {}) {
    this.endpoint = endpoint;
    const urls = parseEndpoints(endpoint);
    const s = loadServices();
    const creds = urls[0]!.protocol === 'https:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    const channelOptions: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 2000,
    };
    const target = grpcTarget(urls);
    this.kv = new s.KV(target, creds, channelOptions);
    // Share one channel between the three services.
    const channel = this.kv.getChannel();
    this.watchClient = new s.Watch(target, creds, { ...channelOptions, channelOverride: channel });
    this.maintenance = new s.Maintenance(target, creds, { ...channelOptions, channelOverride: channel });
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  private call<Res>(client: grpc.Client, method: string, req: unknown, timeoutMs = this.timeoutMs): Promise<Res> {
    const fn = (client as unknown as Record<string, Unary>)[method]!;
    return new Promise<Res>((resolve, reject) => {
      fn.call(client, req, this.meta, { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(etcdError(this.endpoint, err));
        else resolve(res as Res);
      });
    });
  }

  range(req: RangeRequest): Promise<RangeResponse> {
    return this.call(this.kv, 'Range', req);
  }

  put(req: PutRequest): Promise<PutResponse> {
    return this.call(this.kv, 'Put', req);
  }

  deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    return this.call(this.kv, 'DeleteRange', req);
  }

  txn(req: TxnRequest): Promise<TxnResponse> {
    return this.call(this.kv, 'Txn', req);
  }

  compact(revision: number): Promise<{ header: ResponseHeader }> {
    return this.call(this.kv, 'Compact', { revision, physical: false });
  }

  status(timeoutMs?: number): Promise<StatusResponse> {
    return this.call(this.maintenance, 'Status', {}, timeoutMs);
  }

  /** Opens a bidirectional Watch stream. */
  watchStream(): grpc.ClientDuplexStream<WatchRequest, WatchResponse> {
    const fn = (this.watchClient as unknown as Record<string, (meta: grpc.Metadata) => grpc.ClientDuplexStream<WatchRequest, WatchResponse>>).Watch!;
    return fn.call(this.watchClient, new grpc.Metadata());
  }

  close(): void {
    this.watchClient.close();
    this.maintenance.close();
    this.kv.close();
  }
}
